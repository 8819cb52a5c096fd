"""Personal API tokens."""

from django.http import HttpRequest, HttpResponse


def api_tokens(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
