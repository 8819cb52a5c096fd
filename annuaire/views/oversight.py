"""Oversight: a school's overview and the city console."""

from django.http import HttpRequest, HttpResponse

from annuaire.decorators import city_admin_allowed


@city_admin_allowed
def school_overview(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError


def city_console(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
