"""Reads of the families' side of attendance: one student's year with each line's state, and the office's queue.

Every function here costs a fixed number of queries, whatever the number of absences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import Division, Membership, Profile
from annuaire.selectors import access_student, profiles_in
from schools.access import not_found
from schools.models import School
from vie_scolaire.attendance.models import (
    Absence,
    AbsenceReason,
    EarlyDeparture,
    Justification,
    Lateness,
)
from vie_scolaire.attendance.selectors.families import MINOR_JUSTIFIES_NOT, WITHHOLD_NOT_OFFERED, follows_attendance
from vie_scolaire.calendar.weeks import local_moment
from vie_scolaire.permissions import JUSTIFY_ABSENCES, MANAGE_ATTENDANCE, WITHHOLD_ATTENDANCE
from vie_scolaire.timetable.models import Lesson

QUEUE_PAGE_SIZE = 25
ABSENCE, LATENESS, DEPARTURE = "absence", "lateness", "departure"
JUSTIFIED, PENDING, REFUSED, UNJUSTIFIED = "justified", "pending", "refused", "unjustified"


def year_bounds(school_year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From 1 August of the rentrée's year to 1 August of the next: every day a school year may count."""
    start = timezone.make_aware(datetime.datetime(school_year, 8, 1))
    return start, timezone.make_aware(datetime.datetime(school_year + 1, 8, 1))


def state_of(reason: AbsenceReason | None, justification: Justification | None) -> str:
    """Justified exactly when its own reason justifies; else its justification (pending, refused) says why not."""
    if reason is not None and reason.justifies:
        return JUSTIFIED
    if justification is not None and justification.status == Justification.Status.PENDING:
        return PENDING
    if justification is not None and justification.status == Justification.Status.REFUSED:
        return REFUSED
    return UNJUSTIFIED


def reason_label(reason: AbsenceReason | None, *, for_office: bool) -> str:
    """The reason's label, unless the school keeps it from families (a confidential medical reason, say)."""
    if reason is None:
        return ""
    if reason.visible_to_parents or for_office:
        return reason.label
    return _("Motif connu de la vie scolaire")


@dataclass
class AttendanceLine:
    """One absence, lateness or early departure as a page shows it."""

    kind: str
    pk: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    lesson: Lesson | None
    state: str
    reason_label: str
    justification: Justification | None
    minutes: int | None = None
    left_at: datetime.time | None = None

    @property
    def key(self) -> str:
        """What a form ticks: `absence-12`, `lateness-3`."""
        return f"{self.kind}-{self.pk}"

    @property
    def justifiable(self) -> bool:
        """A family may (again) justify an absence or a lateness that is neither justified nor waiting."""
        return self.kind != DEPARTURE and self.state in (UNJUSTIFIED, REFUSED)

    @property
    def office_message(self) -> str:
        return self.justification.office_message if self.justification is not None else ""

    @property
    def state_label(self) -> str:
        labels = {
            (ABSENCE, JUSTIFIED): _("Justifiée"),
            (ABSENCE, UNJUSTIFIED): _("Non justifiée"),
            (LATENESS, JUSTIFIED): _("Justifié"),
            (LATENESS, UNJUSTIFIED): _("Non justifié"),
            (DEPARTURE, JUSTIFIED): _("Justifié"),
            (DEPARTURE, UNJUSTIFIED): _("Non justifié"),
        }
        if self.state == PENDING:
            return _("Justificatif en attente")
        if self.state == REFUSED:
            return _("Justificatif refusé")
        return labels[(self.kind, self.state)]

    @property
    def kind_label(self) -> str:
        return {ABSENCE: _("Absence"), LATENESS: _("Retard"), DEPARTURE: _("Départ anticipé")}[self.kind]


@dataclass
class StudentAttendance:
    membership: Membership
    school_year: int
    lines: list[AttendanceLine] = field(default_factory=list)

    @property
    def absences(self) -> list[AttendanceLine]:
        return [line for line in self.lines if line.kind == ABSENCE]

    @property
    def latenesses(self) -> list[AttendanceLine]:
        return [line for line in self.lines if line.kind == LATENESS]

    @property
    def justifiable(self) -> list[AttendanceLine]:
        return [line for line in self.lines if line.justifiable]

    @property
    def reasonable(self) -> list[AttendanceLine]:
        """The lines whose reason the office sets directly: absences and lateness."""
        return [line for line in self.lines if line.kind != DEPARTURE]

    @property
    def unjustified_count(self) -> int:
        return sum(1 for line in self.absences if line.state in (UNJUSTIFIED, REFUSED))

    @property
    def pending_count(self) -> int:
        return sum(1 for line in self.lines if line.state == PENDING)


def _lesson_start(lesson: Lesson) -> datetime.datetime:
    return local_moment(lesson.date, lesson.start)


def _lesson_line(
    kind: str, event: Lateness | EarlyDeparture, justification: Justification | None, *, for_office: bool, **extra: Any
) -> AttendanceLine:
    """The line of a lateness or an early departure: it stands at the start of its lesson."""
    return AttendanceLine(
        kind=kind,
        pk=event.pk,
        starts_at=_lesson_start(event.lesson),
        ends_at=None,
        lesson=event.lesson,
        state=state_of(event.reason, justification),
        reason_label=reason_label(event.reason, for_office=for_office),
        justification=justification,
        **extra,
    )


def student_attendance(*, membership: Membership, school_year: int, for_office: bool) -> StudentAttendance:
    """The student's absences, lateness and early departures of the school year, latest first; three queries."""
    school_id, student_id = membership.school_id, membership.user_id
    first, last = year_bounds(school_year)
    related = ("reason", "justification", "justification__reason", "lesson__weekly_lesson__subject")
    absences = Absence.objects.filter(
        school=school_id, student=student_id, starts_at__lt=last, ends_at__gt=first
    ).select_related(*related)
    in_year = {"lesson__date__gte": first.date(), "lesson__date__lt": last.date()}
    latenesses = Lateness.objects.filter(school=school_id, student=student_id, **in_year).select_related(*related)
    departures = EarlyDeparture.objects.filter(school=school_id, student=student_id, **in_year).select_related(
        "reason", "lesson__weekly_lesson__subject"
    )
    lines = [
        AttendanceLine(
            kind=ABSENCE,
            pk=absence.pk,
            starts_at=absence.starts_at,
            ends_at=absence.ends_at,
            lesson=absence.lesson,
            state=state_of(absence.reason, absence.justification),
            reason_label=reason_label(absence.reason, for_office=for_office),
            justification=absence.justification,
        )
        for absence in absences
    ]
    lines += [
        _lesson_line(LATENESS, lateness, lateness.justification, for_office=for_office, minutes=lateness.minutes)
        for lateness in latenesses
    ]
    lines += [
        _lesson_line(DEPARTURE, departure, None, for_office=for_office, left_at=departure.left_at)
        for departure in departures
    ]
    lines.sort(key=lambda line: line.starts_at, reverse=True)
    return StudentAttendance(membership=membership, school_year=school_year, lines=lines)


# --- Adult students and their family ---------------------------------------------------------


# --- Who may do what with one student's attendance -------------------------------------------


def access_student_to_justify(user: Any, school: School, student_id: int) -> Membership:
    """A student whose absences this user justifies (`JUSTIFY_ABSENCES` on the student's membership:
    a legal representative who follows them, or the adult student themself), or 404 whatever the reason."""
    if user.pk == student_id:
        message = str(MINOR_JUSTIFIES_NOT)
    else:
        message = _("Cet élève n'existe pas ou vous ne pouvez pas justifier ses absences.")
    membership = access_student(user, school, student_id, message=message)
    if not user.has_perm(JUSTIFY_ABSENCES, membership):
        not_found(message)
    return membership


def access_attendance_to_withhold(user: Any, school: School, student_id: int) -> Membership:
    """The user's own student membership when they may keep their attendance from their parents
    (`WITHHOLD_ATTENDANCE`: adult, and the school's rules allow it), or 404 whatever the reason."""
    membership = access_student(user, school, student_id, message=str(WITHHOLD_NOT_OFFERED))
    if not user.has_perm(WITHHOLD_ATTENDANCE, membership):
        not_found(str(WITHHOLD_NOT_OFFERED))
    return membership


def may_open_documents(user: Any, school: School, student_id: int) -> bool:
    """The office of the school, the student, and those who follow the student's attendance; never a teacher."""
    if user.has_perm(MANAGE_ATTENDANCE, school):
        return True
    if user.pk == student_id and Profile.STUDENT in profiles_in(user, school):
        return True
    return Profile.PARENT in profiles_in(user, school) and follows_attendance(user, school, student_id)


def access_justification_document(user: Any, school: School, justification_id: int) -> Justification:
    """A justification with a document this user may open, or 404 (absent, of another school, or not theirs)."""
    justification = Justification.objects.filter(school=school, pk=justification_id).exclude(document="").first()
    if justification is None or not may_open_documents(user, school, justification.student_id):
        not_found(_("Ce justificatif n'existe pas ou vous n'y avez pas accès."))
    return justification


# --- Reasons ---------------------------------------------------------------------------------


def parent_reasons(school: School) -> QuerySet[AbsenceReason]:
    """The reasons a family may give (the school decides which, as data)."""
    return AbsenceReason.objects.filter(school=school, parents_may_choose=True, visible_to_parents=True)


def office_reasons(school: School) -> QuerySet[AbsenceReason]:
    return AbsenceReason.objects.filter(school=school)


# --- The office's queue ----------------------------------------------------------------------


@dataclass
class QueueItem:
    justification: Justification
    division: Division | None
    absences: list[Absence]
    latenesses: list[Lateness]

    @property
    def pending(self) -> bool:
        return self.justification.status == Justification.Status.PENDING


def _queue(school: School) -> QuerySet[Justification]:
    pending_first = Case(When(status=Justification.Status.PENDING, then=Value(0)), default=Value(1))
    covered = ("reason", "lesson__weekly_lesson__subject")
    return (
        Justification.objects.filter(school=school)
        .annotate(rank=pending_first)
        .order_by("rank", "-submitted_at", "-pk")
        .select_related("student", "reason", "submitted_by", "decided_by")
        .prefetch_related(
            Prefetch("absences", queryset=Absence.objects.select_related(*covered)),
            Prefetch("latenesses", queryset=Lateness.objects.select_related(*covered)),
        )
    )


def justification_queue(*, school: School, page_number: str | int = 1) -> tuple[Page[Justification], list[QueueItem]]:
    """The school's justifications, pending first, then the decided ones, latest first; with each student's division.

    A page costs the count, the page, its absences and lessons, its lateness, and the students' divisions.
    """
    page = Paginator(_queue(school), QUEUE_PAGE_SIZE).get_page(page_number)
    justifications = list(page.object_list)
    students = {j.student_id for j in justifications}
    divisions = {
        membership.user_id: membership.division
        for membership in Membership.objects.filter(
            school=school, profile=Profile.STUDENT, user__in=students
        ).select_related("division")
    }
    items = [
        QueueItem(
            justification=j,
            division=divisions.get(j.student_id),
            absences=list(j.absences.all()),
            latenesses=list(j.latenesses.all()),
        )
        for j in justifications
    ]
    return page, items


def access_justification_to_decide(school: School, justification_id: int) -> Justification:
    """One of the school's justifications, for the office (the view has checked the right), or 404."""
    found = Justification.objects.filter(school=school, pk=justification_id).select_related("reason").first()
    if found is None:
        not_found(_("Cette justification n'existe pas."))
    return found
