"""The delivery of the notifications that go out by e-mail and text message.

Delivery, and why an e-mail or a text message is never sent twice
------------------------------------------------------------------
A notification row is its own delivery record: `outbox` lists the channels it still has to leave on,
`emailed_at` / `texted_at` say when it left. Each (notification, channel) is sent in its own
transaction that locks the row (`SELECT ... FOR UPDATE SKIP LOCKED`), hands the message to the
backend, stamps it and takes the channel out of `outbox`, then commits: the send and the mark are one
unit. The task acknowledges late, so a worker that dies gives its message back to the broker and
another worker runs it again. Where the worker dies decides what happens:

- before a row is locked, or while it is locked but before the backend has the message: the database
  rolls the transaction back when the connection drops, the row is still unsent, the rerun sends it
  once;
- after the commit (the rows of the batch already sent): the rerun finds them stamped and skips them;
- while a second worker runs the same message (a redelivery while the first is slow): the locked rows
  are skipped, not sent twice;
- in the one window left, after the mail server accepted the message and before the commit returns
  (the time of a COMMIT), the rerun sends it again, with the same `Message-ID`
  (`<notification-<id>-email@host>`), the idempotency key mail servers and clients deduplicate on,
  and the same reference for an SMS gateway that accepts one. No protocol closes that window from our
  side; the key makes the copy recognisable downstream.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from communication.notifications.models import Notification, NotificationPreferences
from communication.notifications.preferences import OUTGOING, quiet_until, wanted_channels
from communication.notifications.selectors import preferences_of
from communication.notifications.services.notices import EMAIL, SMS
from communication.notifications.sms import TextMessage, sms_backend
from communication.notifications.texts import reading_language
from schools.models import School


@dataclass(frozen=True)
class _Route:
    stamp: str
    address: str
    send: Callable[[Notification], None]


def _message_id(notification: Notification, channel: str) -> str:
    """The idempotency key of one notification on one channel, as an RFC 5322 Message-ID."""
    host = urlsplit(settings.ENT_BASE_URL).hostname or "ent.paris.fr"
    return f"<notification-{notification.pk}-{channel}@{host}>"


def _text(notification: Notification, language: str) -> str:
    link = f"{settings.ENT_BASE_URL}{notification.url}" if notification.url else ""
    parts = (notification.display_title(language), notification.display_body(language), link)
    return "\n\n".join(part for part in parts if part)


def _send_email(notification: Notification) -> None:
    language = reading_language(notification.recipient.language)
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.display_title(language)}",
        body=_text(notification, language),
        to=[notification.recipient.email],
        headers={"Message-ID": _message_id(notification, EMAIL), "Content-Language": language},
    )
    get_connection().send_messages([message])


def _send_text(notification: Notification) -> None:
    language = reading_language(notification.recipient.language)
    text = _text(notification, language)[:320]
    message = TextMessage(to=notification.recipient.phone, text=text, key=_message_id(notification, SMS))
    sms_backend().send_messages([message])


ROUTES = {
    EMAIL: _Route("emailed_at", "email", _send_email),
    SMS: _Route("texted_at", "phone", _send_text),
}


def deliver(*, school: School, notification_ids: list[int], channels: list[str] | None = None) -> int:
    """Send what these notifications still owe on each channel; answers how many messages left.

    A recipient in quiet hours keeps the notification in its outbox: the sweep
    (`deliver_waiting_notifications`, every few minutes) sends it when they end.
    """
    wanted = [channel for channel in (channels or sorted(OUTGOING)) if channel in ROUTES]
    pending = list(
        Notification.objects.filter(school=school, pk__in=notification_ids)
        .exclude(outbox="")
        .values_list("pk", "recipient_id")
    )
    prefs = preferences_of(recipient for _pk, recipient in pending)
    now = timezone.now()
    due = [pk for pk, recipient in pending if quiet_until(prefs.get(recipient), now) is None]
    return sum(_deliver_one(school, pk, channel, prefs) for pk in due for channel in wanted)


def _deliver_one(school: School, pk: int, channel: str, prefs: dict[int, NotificationPreferences]) -> int:
    """One notification on one channel, sent and marked in one transaction (see the module's docstring)."""
    route = ROUTES[channel]
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(school=school, pk=pk)
            .first()
        )
        outbox = set(filter(None, notification.outbox.split(","))) if notification else set()
        if notification is None or channel not in outbox or getattr(notification, route.stamp) is not None:
            return 0  # another worker holds it, or it already left
        # The person may have changed their mind since it was recorded, or have no address for it.
        default = frozenset(outbox)
        still_wanted = channel in wanted_channels(prefs.get(notification.recipient_id), notification.kind, default)
        address = getattr(notification.recipient, route.address, "")
        sent = bool(still_wanted and address)
        if sent:
            route.send(notification)
        fields: dict[str, Any] = {"outbox": ",".join(sorted(outbox - {channel}))}
        if sent:
            fields[route.stamp] = timezone.now()
        Notification.objects.filter(pk=pk).update(**fields)
    return int(sent)


def waiting_notifications(*, older_than: datetime.timedelta, within: datetime.timedelta) -> dict[int, list[int]]:
    """Notifications still owing a channel, created between `within` and `older_than` ago, by school id.

    Read across schools by the sweep (a nightly-job kind of read), through the outbox's partial index.
    """
    now = timezone.now()
    rows = (
        Notification.unscoped.exclude(outbox="")
        .filter(created_at__gte=now - within, created_at__lte=now - older_than)
        .values_list("school_id", "pk")
        .order_by("school_id", "pk")
    )
    by_school: dict[int, list[int]] = defaultdict(list)
    for school_id, pk in rows.iterator(chunk_size=2000):
        by_school[school_id].append(pk)
    return dict(by_school)
