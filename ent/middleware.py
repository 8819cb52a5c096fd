"""Project-wide middleware."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switch in the footer (on this device, or
    on their account). Placed after the authentication middleware, which gives it the account.

    The browser's Accept-Language is not followed: a family's phone set to English or
    Arabic still gets the school's French portal until someone chooses otherwise.
    """

    def process_request(self, request: HttpRequest) -> None:
        # This device's choice (the cookie), else the account's (kept by the switch), so that a person who
        # chose English reads it on a new phone too; the user is only loaded when there is no cookie.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") or getattr(request.user, "language", "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        # The thread goes back to the site's language: what it runs next outside a request (an eager task,
        # the next test) must not speak the last visitor's.
        translation.deactivate()
        return response
