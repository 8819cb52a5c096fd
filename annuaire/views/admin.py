"""Heads' pages: accounts, delegations."""

from django.http import HttpRequest, HttpResponse

from annuaire.decorators import city_admin_allowed


@city_admin_allowed
def accounts(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError


def delegations(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError
