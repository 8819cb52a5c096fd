"""Writes of announcements: write, review, read, the school's approval setting, and the fan-out.

Publishing never notifies anyone in the author's request: the fan-out runs in a Celery task once the
transaction commits (or, for a later publication date, when the beat sweep finds it due).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import Division, Profile, User
from communication.announcements.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
)
from communication.announcements.permissions import APPROVE_ANNOUNCEMENTS, WRITE_ANNOUNCEMENTS
from communication.announcements.selectors import approval_required, audience_user_ids
from communication.notifications.services.notices import Notice, notify_each
from schools.models import School
from schools.tasks import start_after_commit

logger = logging.getLogger(__name__)

KIND = "announcement.published"
# Recipients notified per transaction: one bulk insert each, and a retry redoes one batch at most.
FANOUT_BATCH = 500


def _check_dates(publish_at: datetime.datetime, expires_at: datetime.datetime | None) -> None:
    if expires_at is not None and expires_at <= publish_at:
        raise ValidationError({"expires_at": _("L'expiration doit suivre la publication.")})


def _check_audience(whole_school: bool, profiles: list[str], divisions: list[Division], school: School) -> None:
    if not (whole_school or profiles or divisions):
        raise ValidationError(
            _("Choisissez à qui s'adresse l'actualité : l'établissement, des profils ou des classes.")
        )
    if any(profile not in Profile.values for profile in profiles):
        raise ValidationError(_("Profil inconnu."))
    if any(division.school_id != school.pk for division in divisions):
        raise ValidationError(_("Classe inconnue."))


@transaction.atomic
def write_announcement(
    *,
    school: School,
    author: User,
    title: str,
    body: str,
    publish_at: datetime.datetime,
    expires_at: datetime.datetime | None = None,
    whole_school: bool = False,
    profiles: Iterable[str] = (),
    divisions: Iterable[Division] = (),
) -> Announcement:
    """Record an announcement; published at once, or pending when the school wants approval and the
    author may not approve."""
    if not author.has_perm(WRITE_ANNOUNCEMENTS, school):
        raise PermissionDenied(_("Vous n'avez pas le droit d'écrire les actualités de cet établissement."))
    profiles, divisions = sorted(set(profiles)), list(divisions)
    _check_dates(publish_at, expires_at)
    _check_audience(whole_school, profiles, divisions, school)
    waits = approval_required(school) and not author.has_perm(APPROVE_ANNOUNCEMENTS, school)
    announcement = Announcement.objects.create(
        school=school, author=author, title=title.strip()[:200], body=body.strip(), publish_at=publish_at,
        expires_at=expires_at, whole_school=whole_school,
        status=Announcement.Status.PENDING if waits else Announcement.Status.PUBLISHED,
    )  # fmt: skip
    if not whole_school:
        AnnouncementAudience.objects.bulk_create(
            [AnnouncementAudience(school=school, announcement=announcement, profile=p) for p in profiles]
            + [AnnouncementAudience(school=school, announcement=announcement, division=d) for d in divisions]
        )
    logger.info(
        "announcement %s written: school=%s author=%s status=%s",
        announcement.pk,
        school.pk,
        author.pk,
        announcement.status,
    )
    _fan_out_after_commit(announcement)
    return announcement


@transaction.atomic
def review_announcement(*, announcement: Announcement, reviewer: User, approve: bool) -> Announcement:
    """The head (or their delegate) approves or refuses a pending announcement."""
    if not reviewer.has_perm(APPROVE_ANNOUNCEMENTS, announcement.school):
        raise PermissionDenied(_("Vous n'avez pas le droit de valider les actualités de cet établissement."))
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk, school=announcement.school)
    if locked.status != Announcement.Status.PENDING:
        raise ValidationError(_("Cette actualité a déjà été examinée."))
    locked.status = Announcement.Status.PUBLISHED if approve else Announcement.Status.REJECTED
    locked.reviewed_by, locked.reviewed_at = reviewer, timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    logger.info("announcement %s reviewed: by=%s status=%s", locked.pk, reviewer.pk, locked.status)
    _fan_out_after_commit(locked)
    return locked


@transaction.atomic
def set_approval_required(*, school: School, required: bool, changed_by: User) -> None:
    if not changed_by.has_perm(APPROVE_ANNOUNCEMENTS, school):
        raise PermissionDenied(_("Vous n'avez pas le droit de régler les actualités de cet établissement."))
    AnnouncementSettings.objects.update_or_create(school=school, defaults={"approval_required": required})
    logger.info("announcements approval set: school=%s required=%s by=%s", school.pk, required, changed_by.pk)


def mark_announcement_read(*, announcement: Announcement, user: Any) -> None:
    """Record the first reading; reading again changes nothing."""
    AnnouncementRead.objects.bulk_create(
        [AnnouncementRead(school_id=announcement.school_id, announcement=announcement, user=user)],
        ignore_conflicts=True,
    )


# --- fan-out -----------------------------------------------------------------------------------


def _fan_out_after_commit(announcement: Announcement) -> None:
    if announcement.status != Announcement.Status.PUBLISHED or announcement.publish_at > timezone.now():
        return  # pending, refused, or for later: the beat sweep (`fan_out_due_announcements`) takes it then
    start_after_commit("communication.tasks.fan_out_announcement", announcement.school_id, announcement.pk)


def due_announcements(*, moment: datetime.datetime) -> list[tuple[int, int]]:
    """(school id, announcement id) of the published, current announcements not fanned out yet (read
    across schools by the beat sweep)."""
    rows = Announcement.unscoped.filter(
        status=Announcement.Status.PUBLISHED, publish_at__lte=moment, notified_at__isnull=True
    ).exclude(expires_at__lte=moment)
    return list(rows.values_list("school_id", "pk"))


def fan_out(*, school: School, announcement_id: int, batch: int = FANOUT_BATCH) -> int:
    """Notify the audience, by batches of user ids in increasing order; answers how many were notified.

    Each batch's notifications and the cursor that records it commit together, so a task killed or
    retried mid-way resumes after the last committed batch and notifies nobody twice.
    """
    notified = 0
    while True:
        with transaction.atomic():
            announcement = (
                Announcement.objects.select_for_update()
                .filter(school=school, pk=announcement_id, status=Announcement.Status.PUBLISHED)
                .first()
            )
            if announcement is None or announcement.notified_at is not None:
                return notified
            ids = list(audience_user_ids(announcement).filter(pk__gt=announcement.fanout_cursor).order_by("pk")[:batch])
            if ids:
                notified += _notify_batch(announcement, ids)
                announcement.fanout_cursor = ids[-1]
            else:
                announcement.notified_at = timezone.now()
            announcement.save(update_fields=["fanout_cursor", "notified_at"])


def _notify_batch(announcement: Announcement, user_ids: list[int]) -> int:
    url = reverse("announcements:detail", kwargs={"uai": announcement.school.uai, "announcement_id": announcement.pk})
    # The author's own words: every reader sees them as typed, whatever their language.
    notices = [Notice(User(pk=pk), announcement.title, announcement.body[:500], url) for pk in user_ids]
    return len(notify_each(school=announcement.school, kind=KIND, notices=notices))
