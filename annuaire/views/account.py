"""First-login activation and personal API tokens."""

from django.http import HttpRequest, HttpResponse


def activate(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def api_tokens(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
