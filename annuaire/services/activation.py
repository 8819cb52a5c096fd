"""Activation codes: printed on letters, used once to set a password and accept the charter.

First login runs in two steps. `check_activation` takes the identifier and the code the
person typed and answers one of three outcomes; whatever went wrong (unknown identifier,
wrong, expired or already used code, deactivated account) it answers the same `INVALID`,
so the form reveals nothing about which identifiers exist. `activate_account` then sets
the password, records the charter acceptances and marks the code used, in one transaction.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import ActivationCode, CharterAcceptance, Membership, User
from schools.models import School

# No 0/O, 1/I/L: codes are read on paper and typed by families.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_FAILED_ATTEMPTS = 5


class ActivationError(Exception):
    """The pending activation can no longer go through (code used, expired, account changed)."""


class CheckOutcome(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    ALREADY_ACTIVE = "already_active"


@dataclass(frozen=True)
class ActivationCheck:
    outcome: CheckOutcome
    user: User | None = None
    code: ActivationCode | None = None


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{cleaned[:5]}-{cleaned[5:]}"


# Activation codes are hashed with one salted SHA-256, not the password hasher. A code is not
# a password: it is random (10 characters out of 31, about 50 bits), valid for a limited time,
# used once, and refused after MAX_FAILED_ATTEMPTS wrong tries; guessing one online is out of
# reach, and offline, with a stolen table, each code needs its own ~2^49 search (per-code salt).
# The password hasher's deliberate slowness (PBKDF2, ~0.3 s a hash) would make a division's or
# a school's letters (hundreds of codes at once) take minutes. Codes issued before this scheme
# carry a Django password hash and are still checked with it.
CODE_HASH_ALGORITHM = "code_sha256"


def _hash_code(code: str, salt: str | None = None) -> str:
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}${code}".encode()).hexdigest()
    return f"{CODE_HASH_ALGORITHM}${salt}${digest}"


def _code_matches(code: str, code_hash: str) -> bool:
    algorithm, _sep, rest = code_hash.partition("$")
    if algorithm != CODE_HASH_ALGORITHM:
        return check_password(code, code_hash)  # a code issued with the password hasher
    salt, _sep, _digest = rest.partition("$")
    return hmac.compare_digest(_hash_code(code, salt), code_hash)


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued: `code` is clear here and nowhere else."""

    user: User
    code: str
    expires_at: datetime


@transaction.atomic
def issue_activation_codes(*, users: Sequence[User]) -> list[IssuedCode]:
    """Give each user a fresh one-time code (in bulk); their earlier unused codes stop working.

    Two queries whatever the number of users. Returns the clear codes, in the order of `users`.
    """
    now = timezone.now()
    expires_at = now + timedelta(days=settings.ACTIVATION_CODE_TTL_DAYS)
    ActivationCode.objects.filter(user__in=[user.pk for user in users], used_at=None).update(used_at=now)
    issued = [IssuedCode(user=user, code=_new_code(), expires_at=expires_at) for user in users]
    ActivationCode.objects.bulk_create(
        [ActivationCode(user=item.user, code_hash=_hash_code(item.code), expires_at=expires_at) for item in issued]
    )
    return issued


def issue_activation_code(*, user: User) -> str:
    """Give the user a fresh one-time code; earlier unused codes stop working. Returns the clear code."""
    return issue_activation_codes(users=[user])[0].code


def find_valid_code(*, user: User, code: str) -> ActivationCode | None:
    """The user's pending code if `code` matches it; counts a failed attempt otherwise."""
    pending = (
        ActivationCode.objects.filter(user=user, used_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if pending is None or pending.failed_attempts >= MAX_FAILED_ATTEMPTS:
        _hash_code(code)  # same cost as a real check
        return None
    if _code_matches(normalize_code(code), pending.code_hash):
        return pending
    ActivationCode.objects.filter(pk=pending.pk).update(failed_attempts=pending.failed_attempts + 1)
    return None


def _find_user(username: str) -> User | None:
    """The account whose identifier is `username`, ignoring case; None when absent or ambiguous."""
    username = username.strip()
    if not username:
        return None
    exact = User.objects.filter(username=username).first()
    if exact is not None:
        return exact
    candidates = list(User.objects.filter(username__iexact=username)[:2])
    return candidates[0] if len(candidates) == 1 else None


def _matches_last_used_code(user: User, code: str) -> bool:
    last_used = ActivationCode.objects.filter(user=user).exclude(used_at=None).order_by("-used_at").first()
    if last_used is None:
        # Hash anyway, so an answer takes the same time whether or not the account has codes.
        _hash_code(code)
        return False
    return _code_matches(normalize_code(code), last_used.code_hash)


def check_activation(*, username: str, code: str) -> ActivationCheck:
    """Step 1: does this identifier and code open an activation? Only counts failed attempts.

    A person who already activated and types the code of their letter again is told so
    (they hold the code, nothing leaks). A code issued after activation (the secretariat
    printed a new letter) opens the flow again: it ends in a new password.
    """
    user = _find_user(username)
    if user is None:
        _hash_code(code)  # same cost as a real check: the timing tells nothing either
        return ActivationCheck(CheckOutcome.INVALID)
    pending = find_valid_code(user=user, code=code)
    if not user.is_active:
        return ActivationCheck(CheckOutcome.INVALID)
    if pending is None:
        if user.activated_at is not None and _matches_last_used_code(user, code):
            return ActivationCheck(CheckOutcome.ALREADY_ACTIVE, user=user)
        return ActivationCheck(CheckOutcome.INVALID)
    return ActivationCheck(CheckOutcome.VALID, user=user, code=pending)


def pending_activation(*, user_id: int, code_id: int) -> tuple[User, ActivationCode] | None:
    """Step 2: the user and code kept in the session between steps, if they still hold."""
    code = (
        ActivationCode.objects.select_related("user")
        .filter(
            pk=code_id,
            user_id=user_id,
            used_at=None,
            expires_at__gt=timezone.now(),
            failed_attempts__lt=MAX_FAILED_ATTEMPTS,
            user__is_active=True,
        )
        .first()
    )
    if code is None:
        return None
    return code.user, code


def schools_to_accept(*, user: User) -> list[School]:
    """The schools where the user is an active member and has not accepted the charter yet."""
    # A person's own memberships and acceptances, across every school they belong to.
    member_of = Membership.unscoped.filter(user=user, active=True).values("school")
    accepted = CharterAcceptance.unscoped.filter(user=user).values("school")
    return list(School.objects.filter(pk__in=member_of).exclude(pk__in=accepted).order_by("name"))


@transaction.atomic
def activate_account(*, user: User, activation_code: ActivationCode, password: str, schools: Iterable[School]) -> User:
    """Set the password, accept the charter of each school, use the code: all or nothing.

    Raises `ActivationError` when the code or the account no longer allows it, or when a
    school's charter is missing; `django.core.exceptions.ValidationError` for a password
    the policy refuses (CNIL deliberation 2022-100, `annuaire.password_policy`).
    """
    now = timezone.now()
    code = ActivationCode.objects.select_for_update().filter(pk=activation_code.pk, user=user).first()
    if code is None or code.used_at is not None or code.expires_at <= now:
        raise ActivationError(_("Ce code d'activation n'est plus valable."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ActivationError(_("Ce compte est désactivé."))
    required = {school.pk: school for school in schools_to_accept(user=user)}
    accepted = {school.pk for school in schools}
    if required.keys() - accepted:
        raise ActivationError(_("La charte d'usage de chaque établissement doit être acceptée."))
    validate_password(password, user)
    user.set_password(password)
    if user.activated_at is None:
        user.activated_at = now
    user.save(update_fields=["password", "activated_at"])
    code.used_at = now
    code.save(update_fields=["used_at"])
    # Acceptances are the person's own, one per school: an explicitly cross-school write.
    CharterAcceptance.unscoped.bulk_create(
        [CharterAcceptance(school=school, user=user) for school in required.values()],
        ignore_conflicts=True,
    )
    password_validation.password_changed(password, user)
    return user


def purge_expired_codes() -> int:
    """Delete the activation codes whose validity has ended, used or not; returns how many.

    Codes belong to people, not to one school: ActivationCode is not a tenant table.
    """
    deleted, _by_model = ActivationCode.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
