"""Account pages beside allauth's: activation, personal API tokens."""

from django.urls import path

from annuaire.views import account, tokens

urlpatterns = [
    path("activation/", account.activate, name="account_activate"),
    path("applications/", tokens.api_tokens, name="api_tokens"),
]
