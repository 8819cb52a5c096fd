"""The one way other modules notify people: `notify` (the same words to everyone) and `notify_each`
(one notice a person), recorded as each recipient's preferences say.

What goes out by e-mail or text message leaves after the commit, from the task
`communication.tasks.deliver_notifications` (`services/delivery.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communication.notifications.models import Channel, Notification
from communication.notifications.preferences import OUTGOING, wanted_channels
from communication.notifications.selectors import preferences_of
from communication.notifications.texts import Text, render
from schools.models import School
from schools.tasks import start_after_commit

EMAIL = Channel.EMAIL.value
SMS = Channel.SMS.value
CHANNELS = OUTGOING


@dataclass(frozen=True)
class Notice:
    """One person's notification, when each recipient reads a different text.

    What the ENT writes is a `Text`, shown in each reader's language; a string is shown as it is:
    words a person typed (an announcement, the office's message to a family).
    """

    recipient: Any
    title: Text | str
    body: Text | str = ""
    url: str = ""


@transaction.atomic
def notify(
    *, school: School, recipients: Iterable[Any], kind: str, title: Text | str, body: Text | str = "", url: str = ""
) -> int:
    """Record one notification per distinct recipient; answers how many were recorded."""
    unique = {recipient.pk: recipient for recipient in recipients if recipient is not None}
    notices = [Notice(recipient, title, body, url) for recipient in unique.values()]
    return len(notify_each(school=school, kind=kind, notices=notices))


@transaction.atomic
def notify_each(
    *, school: School, kind: str, notices: Iterable[Notice], channels: frozenset[str] = frozenset()
) -> list[Notification]:
    """Record the notices in one query, as each recipient's preferences say.

    `channels` are the sending module's defaults for people who chose nothing for the kind's category.
    In-app is always recorded; someone who turned it off finds it already read (history, no badge).
    The e-mails and text messages leave once the transaction commits, from a Celery task, so the page
    that caused them never waits for a mail server; quiet hours hold them back (see `delivery.deliver`).
    """
    notices = list(notices)
    prefs = preferences_of(n.recipient.pk for n in notices)
    now = timezone.now()
    records = []
    for notice in notices:
        wanted = wanted_channels(prefs.get(notice.recipient.pk), kind, channels & OUTGOING)
        outbox = ",".join(sorted(wanted & OUTGOING))
        records.append(
            Notification(
                school=school, recipient=notice.recipient, kind=kind, url=notice.url,
                read_at=None if Channel.APP in wanted else now, outbox=outbox, **_words(notice),
            )
        )  # fmt: skip
    records = Notification.objects.bulk_create(records)
    outgoing = [record.pk for record in records if record.outbox]
    if outgoing:
        start_after_commit("communication.tasks.deliver_notifications", school.pk, outgoing, sorted(OUTGOING))
    return records


def _words(notice: Notice) -> dict[str, Any]:
    """The notice's title and body as stored: a Text's message and arguments, and the French rendering."""
    fields: dict[str, Any] = {
        "title": render(notice.title, settings.LANGUAGE_CODE)[:200],
        "body": render(notice.body, settings.LANGUAGE_CODE),
    }
    for prefix, words in (("", notice.title), ("body_", notice.body)):
        if isinstance(words, Text):
            fields[f"{prefix}message"] = words.message
            fields[f"{prefix}arguments"] = words.encoded_arguments()
    return fields
