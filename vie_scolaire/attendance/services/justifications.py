"""Writes of the families' side of attendance: justifications, declared absences, the office's decisions and reasons.

An absence (or a lateness) is justified exactly when its own reason is set and justifies. The
office sets that reason directly (`set_reason`, `record_absence`) or by accepting a family's
justification (`decide_justification`). Each write is one transaction and changes nothing when
it refuses; every refusal says why, in French.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import User
from communication.notifications.services.notices import notify
from communication.notifications.texts import Text
from schools.models import School
from vie_scolaire.attendance.models import Absence, AbsenceReason, Justification, Lateness
from vie_scolaire.attendance.selectors.families import attendance_followers
from vie_scolaire.attendance.selectors.justifications import JUSTIFIED, PENDING, reason_label, state_of
from vie_scolaire.attendance.selectors.office import not_justified
from vie_scolaire.attendance.services.checks import (
    COMMENT_MAX_LENGTH,
    check_comment,
    check_document,
    check_may_justify,
    check_parent_reason,
    check_school_reason,
    check_span,
    check_student,
    chosen_rows,
    day_label,
)

# A family declares what it knows ahead; further than this it is a matter for the office.
DECLARATION_HORIZON = datetime.timedelta(days=60)
# An absence the office records lasts at most a school year (a long illness is one absence).
OFFICE_ABSENCE_MAX = datetime.timedelta(days=366)


# --- Families --------------------------------------------------------------------------------


@transaction.atomic
def justify(
    *,
    school: School,
    student: User,
    submitted_by: User,
    absence_ids: Collection[int] = (),
    lateness_ids: Collection[int] = (),
    reason: AbsenceReason,
    comment: str = "",
    document: UploadedFile | None = None,
) -> Justification:
    """A legal representative, or the adult student themself, justifies some absences and lateness at once.

    Refused: another student's absence (a forged id), one already justified, one already
    waiting for the office's decision.
    """
    check_may_justify(school, submitted_by, student)
    if not absence_ids and not lateness_ids:
        raise ValidationError(_("Choisissez au moins une absence ou un retard à justifier."))
    check_parent_reason(school, reason)
    comment = check_comment(comment)
    absences, latenesses = chosen_rows(school, student, absence_ids, lateness_ids)
    chosen: list[Absence | Lateness] = [*absences, *latenesses]
    for row in chosen:
        _check_justifiable(row)
    justification = _submitted(
        school=school, student=student, submitted_by=submitted_by, reason=reason, comment=comment, document=document
    )
    Absence.objects.filter(pk__in=[a.pk for a in absences]).update(justification=justification)
    Lateness.objects.filter(pk__in=[lateness.pk for lateness in latenesses]).update(justification=justification)
    return justification


def _submitted(
    *,
    school: School,
    student: User,
    submitted_by: User,
    reason: AbsenceReason,
    comment: str,
    document: UploadedFile | None,
) -> Justification:
    """The family's justification as it reaches the office's queue, its document checked last: every
    other refusal is said before a file is kept."""
    check_document(document)
    return Justification.objects.create(
        school=school,
        student=student,
        reason=reason,
        comment=comment,
        document=document or "",
        submitted_by=submitted_by,
    )


def _check_justifiable(row: Absence | Lateness) -> None:
    state = state_of(row.reason, row.justification)
    if isinstance(row, Absence):
        when = day_label(row.starts_at)
        justified = _("L'absence du %(day)s est déjà justifiée.")
        pending = _("L'absence du %(day)s a déjà un justificatif en attente de la vie scolaire.")
    else:
        when = formats.date_format(row.lesson.date, "l j F")
        justified = _("Le retard du %(day)s est déjà justifié.")
        pending = _("Le retard du %(day)s a déjà un justificatif en attente de la vie scolaire.")
    if state == JUSTIFIED:
        raise ValidationError(justified % {"day": when})
    if state == PENDING:
        raise ValidationError(pending % {"day": when})


@transaction.atomic
def declare_absence(
    *,
    school: School,
    student: User,
    submitted_by: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: AbsenceReason,
    comment: str = "",
    document: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> Absence:
    """A legal representative (or the adult student) announces a coming absence: the absence, and its
    justification for the office.

    The roll call then shows the student as already known absent.
    """
    check_may_justify(school, submitted_by, student)
    check_student(school, student)
    now = (now or timezone.now()).replace(second=0, microsecond=0)  # the form's minutes: "now" is not past
    if starts_at < now:
        raise ValidationError(_("Une absence se déclare à l'avance : le début est déjà passé."))
    check_span(starts_at, ends_at)
    if ends_at > now + DECLARATION_HORIZON:
        raise ValidationError(
            _("Une absence se déclare au plus %(days)d jours à l'avance : au-delà, contactez la vie scolaire.")
            % {"days": DECLARATION_HORIZON.days}
        )
    check_parent_reason(school, reason)
    comment = check_comment(comment)
    overlapping = Absence.objects.filter(
        school=school, student=student, starts_at__lt=ends_at, ends_at__gt=starts_at, lesson__isnull=True
    )
    if overlapping.exists():
        raise ValidationError(_("Une absence est déjà enregistrée sur une partie de cette période."))
    justification = _submitted(
        school=school, student=student, submitted_by=submitted_by, reason=reason, comment=comment, document=document
    )
    return Absence.objects.create(
        school=school,
        student=student,
        starts_at=starts_at,
        ends_at=ends_at,
        source=Absence.Source.PARENT,
        justification=justification,
        created_by=submitted_by,
    )


# --- The office ------------------------------------------------------------------------------


@transaction.atomic
def decide_justification(
    *,
    justification: Justification,
    decided_by: User,
    accept: bool,
    reason: AbsenceReason | None = None,
    message: str = "",
) -> Justification:
    """The office accepts (the parent's reason, or one it corrects) or refuses with a message; the parents are told.

    Accepting sets the reason on every absence and lateness the justification covers;
    refusing leaves them unjustified and keeps the message for the family.
    """
    locked = Justification.objects.select_for_update(of=("self",)).select_related("reason", "school", "student")
    justification = locked.get(pk=justification.pk)
    school = justification.school
    if justification.status != Justification.Status.PENDING:
        raise ValidationError(_("Cette justification a déjà été traitée."))
    message = message.strip()
    if len(message) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("Le message compte au plus %(max)d caractères.") % {"max": COMMENT_MAX_LENGTH})
    if accept:
        retained = reason or justification.reason
        check_school_reason(school, retained)
        if not retained.justifies:
            raise ValidationError(_("Pour accepter, retenez un motif qui justifie l'absence ; sinon refusez."))
        # A row the office already justified by a reason of its own (`set_reason`) keeps it.
        Absence.objects.filter(not_justified(), school=school, justification=justification).update(reason=retained)
        Lateness.objects.filter(not_justified(), school=school, justification=justification).update(reason=retained)
    elif not message:
        raise ValidationError(_("Dites à la famille pourquoi le justificatif est refusé."))
    _close(justification, accepted=accept, decided_by=decided_by, message=message)
    return justification


def _close(justification: Justification, *, accepted: bool, decided_by: User, message: str) -> None:
    """Record the office's decision on a pending justification (it leaves the queue) and tell the family."""
    justification.status = Justification.Status.ACCEPTED if accepted else Justification.Status.REFUSED
    justification.decided_by = decided_by
    justification.decided_at = timezone.now()
    justification.office_message = message
    justification.save(update_fields=["status", "decided_by", "decided_at", "office_message"])
    _tell_family(justification)


def _tell_family(justification: Justification) -> None:
    """Those who follow the student's attendance: their legal representatives unless the adult student
    withheld it, and the adult student."""
    student = justification.student
    followers = attendance_followers(justification.school_id, [student.pk])[student.pk]
    if justification.status == Justification.Status.ACCEPTED:
        message = gettext_noop("Le justificatif de %(name)s est accepté.")
    else:
        message = gettext_noop("Le justificatif de %(name)s est refusé.")
    notify(
        school=justification.school,
        recipients=followers,
        kind="attendance.justification",
        title=Text(message, name=student.first_name),
        body=justification.office_message,  # the office's own words, as typed
        url=reverse("attendance:student", kwargs={"uai": justification.school.uai, "student_id": student.pk}),
    )


@transaction.atomic
def record_absence(
    *,
    school: School,
    student: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: AbsenceReason | None = None,
    recorded_by: User,
) -> Absence:
    """The office records an absence from one moment to another (a phone call, a note), with its reason if known."""
    check_student(school, student)
    check_span(starts_at, ends_at)
    if ends_at - starts_at > OFFICE_ABSENCE_MAX:
        raise ValidationError(_("Une absence dure au plus une année scolaire."))
    check_school_reason(school, reason)
    return Absence.objects.create(
        school=school,
        student=student,
        starts_at=starts_at,
        ends_at=ends_at,
        source=Absence.Source.OFFICE,
        reason=reason,
        created_by=recorded_by,
    )


@transaction.atomic
def set_reason(
    *,
    school: School,
    student: User,
    absence_ids: Collection[int] = (),
    lateness_ids: Collection[int] = (),
    reason: AbsenceReason | None,
    decided_by: User,
) -> int:
    """The office sets (or, with no reason, clears) the reason of some of a student's absences and lateness.

    A family's pending justification whose rows no longer wait for a decision is closed by this
    reason (see `_close_covered`). Answers how many rows changed.
    """
    if not absence_ids and not lateness_ids:
        raise ValidationError(_("Choisissez au moins une absence ou un retard."))
    check_school_reason(school, reason)
    absences, latenesses = chosen_rows(school, student, absence_ids, lateness_ids)
    changed = Absence.objects.filter(pk__in=[a.pk for a in absences]).update(reason=reason)
    changed += Lateness.objects.filter(pk__in=[lateness.pk for lateness in latenesses]).update(reason=reason)
    if reason is not None:
        _close_covered(school, reason=reason, rows=[*absences, *latenesses], decided_by=decided_by)
    return changed


def _close_covered(school: School, *, reason: AbsenceReason, rows: list[Absence | Lateness], decided_by: User) -> None:
    """Close the pending justifications of these rows that nothing of theirs waits for any more.

    The office's reason decides a family's justification (accepted when it justifies, refused when
    not) once each of its rows is either among those the office just set or already justified.
    When the office's choice covers only some of the rows, the justification stays pending in the
    queue: the rows left out still wait for the office to read the family's explanation, and
    closing it would refuse (or accept) them by a decision nobody took. The family is told once,
    when the justification is closed. Clearing a reason decides nothing.
    """
    pending = {
        row.justification_id
        for row in rows
        if row.justification is not None and row.justification.status == Justification.Status.PENDING
    }
    if not pending:
        return
    set_now = Q(pk__in=[row.pk for row in rows if isinstance(row, Absence)])
    late_now = Q(pk__in=[row.pk for row in rows if isinstance(row, Lateness)])
    justified = Q(reason__justifies=True)
    waiting = set(
        Absence.objects.filter(school=school, justification__in=pending)
        .exclude(set_now | justified)
        .values_list("justification", flat=True)
    ) | set(
        Lateness.objects.filter(school=school, justification__in=pending)
        .exclude(late_now | justified)
        .values_list("justification", flat=True)
    )
    message = _("Motif retenu par la vie scolaire : %(reason)s.") % {"reason": reason_label(reason, for_office=False)}
    closed = (
        Justification.objects.select_for_update(of=("self",))
        .filter(school=school, pk__in=pending - waiting, status=Justification.Status.PENDING)
        .select_related("school", "student")
    )
    for justification in closed:
        _close(justification, accepted=reason.justifies, decided_by=decided_by, message=message)
