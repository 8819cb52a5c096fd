"""The e-mail digest: one message per person listing their unread notifications since their last digest.

Run by beat, daily and weekly, across schools (a person's notifications of every school in one
e-mail). People are read in batches of ids (never all of them in memory); each person's digest is
sent in the transaction that inserts its `DigestSent(user, period)` row, whose unique key makes a
rerun in the same period (beat firing twice, a retried task, a killed worker) send nothing more;
the same reasoning as notifications' delivery (`services/delivery.py`) applies to a worker killed
mid-way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communication.notifications.models import Digest, DigestSent, Notification, NotificationPreferences
from communication.notifications.texts import Text, reading_language, render, stored

BATCH = 1000
# A digest lists this many notifications, then says how many more wait in the ENT.
LISTED = 20
SPAN = {Digest.DAILY.value: datetime.timedelta(days=1), Digest.WEEKLY.value: datetime.timedelta(days=7)}


@dataclass
class DigestFigures:
    people: int = 0  # with the frequency chosen and an address
    sent: int = 0
    already: int = 0  # sent earlier in the period
    nothing: int = 0  # no unread notification since their last digest
    batches: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class _Person:
    pk: int
    email: str
    first_name: str
    language: str


# One listed notification: its words, its link, when it was recorded.
_Item = tuple[Text | str, str, datetime.datetime]


def period_key(frequency: str, day: datetime.date) -> str:
    if frequency == Digest.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{day.isoformat()}"


def send_digests(*, frequency: str, moment: datetime.datetime, batch: int = BATCH) -> DigestFigures:
    """Send this period's digests to everyone who chose `frequency`; run again, it sends nothing more."""
    if frequency not in SPAN:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    period = period_key(frequency, timezone.localdate(moment))
    figures = DigestFigures()
    after = 0
    while people := _next_people(frequency, after, batch):
        after = people[-1].pk
        figures.batches += 1
        figures.people += len(people)
        _send_batch(people, period, moment, moment - SPAN[frequency], figures)
    return figures


def _next_people(frequency: str, after: int, batch: int) -> list[_Person]:
    rows = (
        NotificationPreferences.objects.filter(digest=frequency, user_id__gt=after, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", "user__email", "user__first_name", "user__language")[:batch]
    )
    return [_Person(pk, email, first_name, reading_language(language)) for pk, email, first_name, language in rows]


def _send_batch(
    people: list[_Person], period: str, moment: datetime.datetime, floor: datetime.datetime, figures: DigestFigures
) -> None:
    ids = [person.pk for person in people]
    done = set(DigestSent.objects.filter(user_id__in=ids, period=period).values_list("user_id", flat=True))
    figures.already += len(done)
    todo = [person for person in people if person.pk not in done]
    last = dict(
        DigestSent.objects.filter(user_id__in=[p.pk for p in todo]).values_list("user_id").annotate(Max("sent_at"))
    )
    items = _unread_since(todo, last, floor, moment)
    connection = get_connection()
    for person in todo:
        listed = items.get(person.pk)
        if not listed:
            figures.nothing += 1
            continue
        figures.sent += _send_one(connection, person, period, listed, moment)


def _unread_since(
    people: list[_Person], last: dict[int, datetime.datetime], floor: datetime.datetime, moment: datetime.datetime
) -> dict[int, list[_Item]]:
    """Each person's unread notifications not e-mailed one by one, since their last digest (or the span)."""
    if not people:
        return {}
    oldest = min([floor, *last.values()])
    rows = (
        Notification.unscoped.filter(
            recipient_id__in=[p.pk for p in people], read_at__isnull=True, emailed_at__isnull=True,
            created_at__gt=oldest, created_at__lte=moment,
        )
        .order_by("recipient_id", "-created_at")
        .values_list("recipient_id", "title", "message", "arguments", "url", "created_at")
    )  # fmt: skip
    found: dict[int, list[_Item]] = defaultdict(list)
    for recipient, title, message, arguments, url, created in rows.iterator(chunk_size=5000):
        if created > last.get(recipient, floor):
            found[recipient].append((stored(message, arguments, title), url, created))
    return found


def _send_one(
    connection: Any,
    person: _Person,
    period: str,
    items: list[_Item],
    moment: datetime.datetime,
) -> int:
    """Insert the period's row and hand the e-mail over in one transaction: both happen, or neither."""
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=person.pk, period=period, sent_at=moment, notifications=len(items))
            with translation.override(person.language):
                email = _message(person, period, items)
            connection.send_messages([email])
    except IntegrityError:
        return 0  # another run sent this period's digest a moment ago
    return 1


def _message(person: _Person, period: str, items: list[_Item]) -> EmailMessage:
    lines = [_("Bonjour %(name)s,") % {"name": person.first_name} if person.first_name else _("Bonjour,"), ""]
    lines.append(
        ngettext(
            "Vous avez %(count)d notification non lue dans l'ENT :",
            "Vous avez %(count)d notifications non lues dans l'ENT :",
            len(items),
        )
        % {"count": len(items)}
    )
    for words, url, created in items[:LISTED]:
        stamp = timezone.localtime(created).strftime("%d/%m %H:%M")
        lines.append(f"- {stamp} {render(words)}" + (f" — {settings.ENT_BASE_URL}{url}" if url else ""))
    if len(items) > LISTED:
        lines.append(_("… et %(count)d de plus.") % {"count": len(items) - LISTED})
    lines += ["", _("Toutes vos notifications : %(url)s") % {"url": f"{settings.ENT_BASE_URL}/notifications/"}]
    host = urlsplit(settings.ENT_BASE_URL).hostname or "ent.paris.fr"
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Vos notifications"),
        body="\n".join(lines),
        to=[person.email],
        # The idempotency key of this person's digest of this period, for the servers downstream.
        headers={
            "Message-ID": f"<digest-{period.replace(':', '-')}-{person.pk}@{host}>",
            "Content-Language": person.language,
        },
    )
