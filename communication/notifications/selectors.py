"""Reads of a person's notifications, across their schools, and of people's preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from annuaire.selectors import memberships_by_school
from communication.notifications.models import Notification, NotificationPreferences
from schools.access import not_found
from schools.tenancy import schools_scope

_UNREAD_KEY = "notifications:unread:{}"
# The header's count may lag this long behind a notification recorded by another process; reading
# or marking read forgets it at once.
UNREAD_TTL = 60


def user_school_ids(user: Any) -> list[int]:
    """The schools of the person's active memberships (kept on the user object: no query after the first)."""
    return sorted(memberships_by_school(user))


def notifications_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications of every school they belong to, unread first, then newest first.

    Callers evaluate it inside `schools_scope(user_school_ids(user))`; the filter on those schools
    keeps the query on the (school, recipient, read_at) index.
    """
    rows = Notification.objects.filter(school_id__in=user_school_ids(user), recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    unread_first = F("read_at").asc(nulls_first=True)  # PostgreSQL would put them last
    return rows.select_related("school").order_by(unread_first, "-created_at")


def unread_count(user: Any) -> int:
    """The header's badge: one count query, cached a minute per person."""
    key = _UNREAD_KEY.format(user.pk)
    count = cache.get(key)
    if count is None:
        with schools_scope(user_school_ids(user)):
            count = notifications_of(user, unread_only=True).count()
        cache.set(key, count, UNREAD_TTL)
    return int(count)


def forget_unread_count(user_id: int) -> None:
    cache.delete(_UNREAD_KEY.format(user_id))


def access_notification(user: Any, notification_id: int) -> Notification:
    """One of the person's own notifications; someone else's answers "not found" like a missing one."""
    found = notifications_of(user).filter(pk=notification_id).first()
    if found is None:
        not_found(_("Cette notification n'existe pas."))
    return found


def preferences_of(user_ids: Iterable[int]) -> dict[int, NotificationPreferences]:
    """The preference rows of these people, in one query (people without one use the defaults)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {prefs.user_id: prefs for prefs in NotificationPreferences.objects.filter(user_id__in=ids)}


def preferences_for(user: Any) -> NotificationPreferences:
    """The person's preferences, unsaved defaults when they never chose."""
    found = NotificationPreferences.objects.filter(user=user).first()
    return found if found is not None else NotificationPreferences(user=user)
