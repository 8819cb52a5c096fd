"""School administration: /<uai>/administration/... (overview, accounts, activation letters, delegations)."""

from django.urls import path

from annuaire.views import admin, imports, letters, oversight

app_name = "annuaire_admin"

urlpatterns = [
    path("", oversight.school_overview, name="overview"),
    path("comptes/", admin.accounts, name="accounts"),
    path("comptes/<int:membership_id>/desactiver/", admin.deactivate, name="account_deactivate"),
    path("comptes/<int:membership_id>/reactiver/", admin.reactivate, name="account_reactivate"),
    path("comptes/<int:membership_id>/nouveau-code/", admin.password_reset, name="account_password_reset"),
    path("comptes/<int:membership_id>/coordonnees/", admin.contact_details, name="account_contact"),
    path("comptes/<int:membership_id>/coordonnees/annuaire/", admin.contact_revert, name="account_contact_revert"),
    path("comptes/nouveau/", admin.local_account_new, name="account_new"),
    path("comptes/lettres-activation/", letters.letters, name="letters"),
    path("comptes/lettres-activation/personnels/", letters.print_staff, name="letters_staff"),
    path("comptes/lettres-activation/<int:division_id>/", letters.print_division, name="letters_division"),
    path("imports/", imports.school_history, name="imports"),
    path("delegations/", admin.delegations, name="delegations"),
    path("delegations/<int:delegation_id>/retirer/", admin.withdraw, name="delegation_withdraw"),
]
