"""A person's language: kept on their account, for what the ENT sends them when no page is open."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annuaire.models import User


def save_language(*, user: User, language: str) -> None:
    """Record the language the person chose with the switch (e-mails, text messages and digests follow it)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Langue inconnue."))
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
