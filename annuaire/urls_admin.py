"""Heads' administration of accounts and rights: /<uai>/gestion/..."""

from django.urls import path

from annuaire.views import admin

app_name = "annuaire_admin"

urlpatterns = [
    path("comptes/", admin.accounts, name="accounts"),
    path("delegations/", admin.delegations, name="delegations"),
]
