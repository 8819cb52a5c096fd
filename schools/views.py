"""The per-school services page."""

from django.http import HttpRequest, HttpResponse

from annuaire.decorators import city_admin_allowed


@city_admin_allowed
def services(request: HttpRequest, uai: str) -> HttpResponse:
    raise NotImplementedError
