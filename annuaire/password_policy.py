"""The password policy of CNIL deliberation 2022-100, as the portal applies it.

At least 12 characters, any Unicode, no composition rule, no forced rotation, common
passwords refused. Django's validators (AUTH_PASSWORD_VALIDATORS) do most of it; their
common-password list, though, holds the bare words ("motdepasse", "azertyuiop") and the
12-character minimum pushes people to add digits around them ("motdepasse123"), which
stays just as easy to guess. `CommonPasswordVariantValidator` refuses those variants.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words French users often build passwords on, missing from Django's (English-centred) list.
EXTRA_COMMON_WORDS = frozenset(
    {
        "motdepass",
        "motdepasse",
        "monmotdepasse",
        "ecole",
        "college",
        "lycee",
        "parisien",
        "parisienne",
        "espacenumerique",
        "bienvenue",
        "jetaime",
        "jetaimemonamour",
    }
)


@cache
def _common_words() -> frozenset[str]:
    return frozenset(password_validation.CommonPasswordValidator().passwords) | EXTRA_COMMON_WORDS


def _core(password: str) -> str:
    """The password without accents, case, spaces, and the digits and symbols around it."""
    decomposed = unicodedata.normalize("NFKD", password.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not ch.isspace())
    start, end = 0, len(plain)
    while start < end and not plain[start].isalpha():
        start += 1
    while end > start and not plain[end - 1].isalpha():
        end -= 1
    return plain[start:end]


class CommonPasswordVariantValidator:
    """Refuse a common password hidden behind case, accents, spaces, digits or symbols."""

    def validate(self, password: str, user: Any = None) -> None:
        core = _core(password)
        # The bare word itself is Django's CommonPasswordValidator's to refuse.
        if core and core != password.lower().strip() and core in _common_words():
            raise ValidationError(
                _(
                    "Ce mot de passe est trop courant : un mot de passe répandu, même complété par "
                    "des chiffres ou des symboles, se devine facilement. Préférez une phrase de passe."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne peut pas être un mot de passe courant, même complété par des chiffres.")
