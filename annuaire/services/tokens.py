"""Personal API tokens: a user creates one for a phone app, uses it, revokes it.

Only a SHA-256 hash of the key is kept (`PersonalToken.key_hash`) and a short prefix for
display; the clear key is returned once, by `create_token`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import PersonalToken, User
from annuaire.selectors import hash_key
from schools.access import not_found

KEY_MARKER = "ent_"
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = PersonalToken._meta.get_field("name").max_length or 100
# A person rarely needs more than a few devices; past this, revoke an old token first.
MAX_ACTIVE_TOKENS = 20
# `last_used_at` is written at most this often, so a busy app does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _new_key() -> str:
    return KEY_MARKER + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[PersonalToken, str]:
    """Create a token for `user`; returns it and its clear key, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            _("Donnez un nom au jeton, par exemple celui de l'appareil qui l'utilisera."), code="name"
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Le nom du jeton ne doit pas dépasser %(max)d caractères.") % {"max": NAME_MAX_LENGTH}, code="name"
        )
    # Lock the user's row so two simultaneous creations cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if PersonalToken.objects.filter(user=user, revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Vous avez déjà %(max)d jetons actifs : révoquez-en un avant d'en créer un autre.")
            % {"max": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    key = _new_key()
    token = PersonalToken.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[:PREFIX_LENGTH])
    return token, key


# A table of secret keys with a `revoked_at` stamp: the personal tokens here, the calendar feeds of the timetable.
KeyRow = TypeVar("KeyRow", bound=Model)


def revoke_key(rows: QuerySet[KeyRow], *, missing: str) -> KeyRow:
    """Revoke the one secret key among `rows` (already narrowed to its owner), locked while it is stamped;
    revoking it again keeps the first moment. Absent, or someone else's: "not found", saying `missing`."""
    row = rows.select_for_update().first()
    if row is None:
        not_found(missing)
    stamped: Any = row  # `Model` does not declare `revoked_at`; every key table has it
    if stamped.revoked_at is None:
        stamped.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


@transaction.atomic
def revoke_token(*, user: User, token_id: int) -> PersonalToken:
    """Revoke one of the user's own tokens; another person's token is "not found"."""
    return revoke_key(PersonalToken.objects.filter(pk=token_id, user=user), missing=_("Ce jeton n'existe pas."))


def touch_token(*, token: PersonalToken) -> None:
    """Record that the token was used, at most once per `LAST_USED_RESOLUTION`."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # A conditional update: concurrent requests write once, and never move the date back.
    PersonalToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(
        last_used_at=now
    )
    token.last_used_at = now
