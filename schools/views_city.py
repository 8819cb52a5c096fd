"""The city console."""

from django.http import HttpRequest, HttpResponse


def console(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
