"""The one way other modules notify people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from communication.models import Notification
from schools.models import School


@transaction.atomic
def notify(*, school: School, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> int:
    """Record one notification per distinct recipient; answers how many were recorded."""
    unique = {recipient.pk: recipient for recipient in recipients if recipient is not None}
    Notification.objects.bulk_create(
        Notification(school=school, recipient=recipient, kind=kind, title=title[:200], body=body, url=url)
        for recipient in unique.values()
    )
    return len(unique)
