"""Writes of a person's notification center: mark read, and their preferences."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communication.notifications.models import Category, Channel, Digest, Notification, NotificationPreferences
from communication.notifications.selectors import forget_unread_count, user_school_ids
from schools.tenancy import schools_scope


def mark_read(*, user: Any, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise ValidationError(_("Cette notification n'existe pas."))
    if notification.read_at is None:
        # Through the scoped manager: the caller reads the notification inside the person's schools' scope.
        Notification.objects.filter(school=notification.school_id, pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    forget_unread_count(user.pk)


def mark_all_read(*, user: Any) -> int:
    """Every unread notification of the person, in every school they belong to; answers how many."""
    ids = user_school_ids(user)
    with schools_scope(ids):
        count = Notification.objects.filter(school_id__in=ids, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    forget_unread_count(user.pk)
    return count


@transaction.atomic
def save_preferences(
    *,
    user: Any,
    channels: dict[str, set[str]],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    digest: str,
) -> NotificationPreferences:
    """Record the person's choice for every category (a category left out keeps the modules' defaults)."""
    if set(channels) - set(Category.values) or any(set(chosen) - set(Channel.values) for chosen in channels.values()):
        raise ValidationError(_("Catégorie ou canal inconnu."))
    if digest not in Digest.values:
        raise ValidationError(_("Fréquence de résumé inconnue."))
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("Indiquez le début et la fin des heures calmes, ou aucun des deux."))
    prefs, _created = NotificationPreferences.objects.update_or_create(
        user=user,
        defaults={
            "channels": {category: sorted(chosen) for category, chosen in channels.items()},
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "digest": digest,
        },
    )
    return prefs
