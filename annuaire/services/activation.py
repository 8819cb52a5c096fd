"""Activation codes: printed on letters, used once to set a password and accept the charter."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from annuaire.models import ActivationCode, User

# No 0/O, 1/I/L: codes are read on paper and typed by families.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_FAILED_ATTEMPTS = 5


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{cleaned[:5]}-{cleaned[5:]}"


@transaction.atomic
def issue_activation_code(*, user: User) -> str:
    """Give the user a fresh one-time code; earlier unused codes stop working. Returns the clear code."""
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at=None).update(used_at=now)
    code = _new_code()
    ActivationCode.objects.create(
        user=user,
        code_hash=make_password(code),
        expires_at=now + timedelta(days=settings.ACTIVATION_CODE_TTL_DAYS),
    )
    return code


def find_valid_code(*, user: User, code: str) -> ActivationCode | None:
    """The user's pending code if `code` matches it; counts a failed attempt otherwise."""
    pending = (
        ActivationCode.objects.filter(user=user, used_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if pending is None or pending.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return None
    if check_password(normalize_code(code), pending.code_hash):
        return pending
    ActivationCode.objects.filter(pk=pending.pk).update(failed_attempts=pending.failed_attempts + 1)
    return None
