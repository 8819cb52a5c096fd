"""Celery tasks of communication."""

from __future__ import annotations

from communication.services import deliver
from schools.models import School
from schools.tasks import TRANSIENT_ERRORS, tenant_task


# A mail server or an SMS gateway out of reach is an OSError (smtplib's errors included): retried.
@tenant_task(autoretry_for=(*TRANSIENT_ERRORS, OSError))
def deliver_notifications(school: School, notification_ids: list[int], channels: list[str]) -> int:
    """Send notifications by e-mail and/or text message; run twice, it sends nothing more."""
    return deliver(school=school, notification_ids=notification_ids, channels=channels)
