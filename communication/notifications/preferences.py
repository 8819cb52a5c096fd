"""How preferences turn into channels: the category of a kind, the channels a person wants, quiet hours.

Pure functions over the preference rows (no query): `notify_each`, `deliver` and the digest share them,
so the rules are written once.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from communication.notifications.models import Category, Channel

if TYPE_CHECKING:
    from communication.notifications.models import NotificationPreferences

# The prefix of a notification's kind ("attendance.absent") names the sending module; several
# modules' words map onto one category a person chooses for.
_CATEGORY_OF_PREFIX = {
    "message": Category.MESSAGE,
    "messaging": Category.MESSAGE,
    "conversation": Category.MESSAGE,
    "grade": Category.GRADE,
    "grades": Category.GRADE,
    "absence": Category.ABSENCE,
    "attendance": Category.ABSENCE,
    "homework": Category.HOMEWORK,
    "timetable": Category.TIMETABLE,
    "announcement": Category.ANNOUNCEMENT,
}
OUTGOING = frozenset({Channel.EMAIL.value, Channel.SMS.value})
# What the sending modules ask for by default, shown as the starting point of the preferences page:
# absences go out by e-mail and SMS (vie_scolaire.attendance), everything else stays in the ENT.
CATEGORY_DEFAULTS: dict[str, frozenset[str]] = {Category.ABSENCE.value: OUTGOING}


def category_of(kind: str) -> str | None:
    """The category of a notification kind; None for a kind no category covers (the module decides)."""
    return _CATEGORY_OF_PREFIX.get(kind.split(".", 1)[0])


def wanted_channels(prefs: NotificationPreferences | None, kind: str, default: frozenset[str]) -> frozenset[str]:
    """The channels a person receives a kind on: their own choice for its category, else in-app and the
    sending module's default channels."""
    category = category_of(kind)
    if prefs is not None and category is not None and category in prefs.channels:
        return frozenset(str(channel) for channel in prefs.channels[category])
    return frozenset({Channel.APP.value}) | default


def quiet_until(prefs: NotificationPreferences | None, moment: datetime.datetime) -> datetime.datetime | None:
    """When the person's quiet hours around `moment` end (Paris time), or None when they are not in them."""
    if prefs is None or prefs.quiet_start is None or prefs.quiet_end is None or prefs.quiet_start == prefs.quiet_end:
        return None
    local = timezone.localtime(moment)
    now, start, end = local.time(), prefs.quiet_start, prefs.quiet_end
    overnight = start > end  # 21:00 -> 07:00 spans midnight
    inside = (now >= start or now < end) if overnight else (start <= now < end)
    if not inside:
        return None
    day = local.date() + datetime.timedelta(days=1) if overnight and now >= start else local.date()
    naive = datetime.datetime.combine(day, end)
    return timezone.make_aware(naive, timezone.get_current_timezone())
