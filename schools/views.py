"""School administration pages (overview, services)."""

from django.http import HttpRequest, HttpResponse

from annuaire.decorators import city_admin_allowed


@city_admin_allowed
def overview(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError


@city_admin_allowed
def services(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError
