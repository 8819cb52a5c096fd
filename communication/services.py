"""The one way other modules notify people, and the delivery of the notifications that go out at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from communication.models import Notification
from communication.sms import TextMessage, sms_backend
from schools.models import School

EMAIL = "email"
SMS = "sms"
CHANNELS = frozenset({EMAIL, SMS})


@dataclass(frozen=True)
class Notice:
    """One person's notification, when each recipient reads a different text."""

    recipient: Any
    title: str
    body: str = ""
    url: str = ""


@transaction.atomic
def notify(*, school: School, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> int:
    """Record one notification per distinct recipient; answers how many were recorded."""
    unique = {recipient.pk: recipient for recipient in recipients if recipient is not None}
    notices = [Notice(recipient, title, body, url) for recipient in unique.values()]
    return len(notify_each(school=school, kind=kind, notices=notices))


@transaction.atomic
def notify_each(
    *, school: School, kind: str, notices: Iterable[Notice], channels: frozenset[str] = frozenset()
) -> list[Notification]:
    """Record the notices in one query.

    With `channels`, they also leave by e-mail and/or text message once the transaction commits,
    from a Celery task, so the page that caused them never waits for a mail server.
    """
    records = Notification.objects.bulk_create(
        Notification(school=school, recipient=n.recipient, kind=kind, title=n.title[:200], body=n.body, url=n.url)
        for n in notices
    )
    if channels and records:
        from communication.tasks import deliver_notifications  # tasks call services: imported late

        ids = [record.pk for record in records]
        wanted = sorted(channels & CHANNELS)
        transaction.on_commit(lambda: deliver_notifications.delay(school.pk, ids, wanted))
    return records


def deliver(*, school: School, notification_ids: list[int], channels: list[str]) -> int:
    """Send the notifications not sent yet on each channel; answers how many messages left."""
    sent = 0
    if EMAIL in channels:
        sent += _deliver(school, notification_ids, "emailed_at", "recipient__email", _send_emails)
    if SMS in channels:
        sent += _deliver(school, notification_ids, "texted_at", "recipient__phone", _send_texts)
    return sent


def _deliver(school: School, ids: list[int], stamp: str, address: str, send: Any) -> int:
    # Stamping before sending makes a second run (a retried task, a duplicated message) skip them;
    # a failed send takes the stamp back so the retry sends them.
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(school=school, pk__in=ids, **{f"{stamp}__isnull": True, f"{address}__gt": ""})
            .select_related("recipient")
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(**{stamp: timezone.now()})
    try:
        return int(send(claimed)) if claimed else 0
    except Exception:
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(**{stamp: None})
        raise


def _text(notification: Notification) -> str:
    link = f"{settings.ENT_BASE_URL}{notification.url}" if notification.url else ""
    return "\n\n".join(part for part in (notification.title, notification.body, link) if part)


def _send_emails(notifications: list[Notification]) -> int:
    messages = [
        EmailMessage(subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{n.title}", body=_text(n), to=[n.recipient.email])
        for n in notifications
    ]
    return int(get_connection().send_messages(messages) or 0)


def _send_texts(notifications: list[Notification]) -> int:
    messages = [TextMessage(to=n.recipient.phone, text=_text(n)[:320]) for n in notifications]
    return sms_backend().send_messages(messages)
