"""Celery tasks of communication: thin wrappers over the services, idempotent, acknowledged late."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from communication.announcements.services import due_announcements, fan_out
from communication.notifications.services.delivery import deliver, waiting_notifications
from communication.notifications.services.digest import DigestFigures, send_digests
from schools.models import School
from schools.tasks import TRANSIENT_ERRORS, task_options, tenant_task
from schools.tenancy import cross_school

logger = logging.getLogger(__name__)

# How long the sweep waits before taking over a notification (its own task is probably running), and
# how far back it looks (older ones are stale news: a two-day-old absence alert helps nobody).
SWEEP_GRACE = datetime.timedelta(minutes=2)
SWEEP_WINDOW = datetime.timedelta(days=2)


# A mail server or an SMS gateway out of reach is an OSError (smtplib's errors included): retried.
@tenant_task(autoretry_for=(*TRANSIENT_ERRORS, OSError))
def deliver_notifications(school: School, notification_ids: list[int], channels: list[str]) -> int:
    """Send notifications by e-mail and/or text message; run twice, it sends nothing more."""
    return deliver(school=school, notification_ids=notification_ids, channels=channels)


@shared_task(name="communication.tasks.deliver_waiting_notifications", **task_options())
def deliver_waiting_notifications() -> int:
    """Beat, every few minutes: send what quiet hours held back or a lost task left behind."""
    with cross_school():
        waiting = waiting_notifications(older_than=SWEEP_GRACE, within=SWEEP_WINDOW)
    for school_id, ids in waiting.items():
        deliver_notifications.delay(school_id, ids, [])
    return sum(len(ids) for ids in waiting.values())


@tenant_task()
def fan_out_announcement(school: School, announcement_id: int) -> int:
    """Notify an announcement's audience in batches; a rerun resumes where the last one stopped."""
    return fan_out(school=school, announcement_id=announcement_id)


@shared_task(name="communication.tasks.fan_out_due_announcements", **task_options())
def fan_out_due_announcements() -> int:
    """Beat, every few minutes: announcements whose publication date has come are fanned out."""
    with cross_school():
        due = due_announcements(moment=timezone.now())
    for school_id, announcement_id in due:
        fan_out_announcement.delay(school_id, announcement_id)
    return len(due)


@shared_task(name="communication.tasks.send_digests", **task_options(autoretry_for=(*TRANSIENT_ERRORS, OSError)))
def send_digest_emails(frequency: str) -> dict[str, int]:
    """Beat: the daily or weekly digest, in batches; a rerun in the same period sends nothing more."""
    with cross_school():
        figures: DigestFigures = send_digests(frequency=frequency, moment=timezone.now())
    logger.info("digest %s: %s", frequency, figures)
    return figures.as_dict()
