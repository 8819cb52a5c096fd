"""The UAI (Unité Administrative Immatriculée): 7 characters and a check letter.

The check letter is the rest of the 7-digit number modulo 23, read in an alphabet
without I, O and Q.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UAI_PATTERN = r"[0-9]{7}[A-Za-z]"
_UAI_RE = re.compile(rf"^{UAI_PATTERN}$")
_CHECK_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"


def normalize_uai(value: str) -> str:
    return value.strip().upper()


def has_uai_shape(value: str) -> bool:
    return bool(_UAI_RE.match(value))


def expected_check_letter(value: str) -> str:
    return _CHECK_ALPHABET[int(value[:7]) % 23]


def has_valid_check_letter(value: str) -> bool:
    return has_uai_shape(value) and value[7].upper() == expected_check_letter(value)


def validate_uai_shape(value: str) -> None:
    if not has_uai_shape(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un UAI : un UAI compte 7 chiffres suivis d'une lettre (par exemple 0750680G)."),
            code="uai_shape",
            params={"value": value},
        )


def validate_uai(value: str) -> None:
    """Full check, for schools created by hand: shape and check letter."""
    validate_uai_shape(value)
    if not has_valid_check_letter(value):
        raise ValidationError(
            _("La lettre clé de l'UAI « %(value)s » est fausse : la lettre attendue est %(letter)s."),
            code="uai_check_letter",
            params={"value": value, "letter": expected_check_letter(value)},
        )
