"""First-login activation."""

from django.http import HttpRequest, HttpResponse


def activate(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
