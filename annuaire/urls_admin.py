"""School administration: /<uai>/administration/... (overview, accounts, delegations)."""

from django.urls import path

from annuaire.views import admin, oversight

app_name = "annuaire_admin"

urlpatterns = [
    path("", oversight.school_overview, name="overview"),
    path("comptes/", admin.accounts, name="accounts"),
    path("delegations/", admin.delegations, name="delegations"),
]
