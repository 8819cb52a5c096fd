"""The language switch of the footer: Django's own, which also keeps a signed-in person's choice."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views import i18n

from annuaire.services.language import save_language


def set_language(request: HttpRequest) -> HttpResponse:
    """The cookie says the language of the pages; the account says it for the e-mails and text messages."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    # Django's view changes nothing on GET or for an unknown language; neither does the account.
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        save_language(user=request.user, language=language)  # type: ignore[arg-type]
    return response
