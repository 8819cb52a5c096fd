"""The roll call of a lesson: its sheet (who is expected, who is already known absent) and its save.

Reads and the one write together: the sheet is what the save compares with.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from annuaire.models import GroupMembership, Guardianship, Membership, Profile, User
from communication.services import notify
from vie_scolaire.models import Absence, Lateness, Lesson, RollCall
from vie_scolaire.selectors import week_url

MAX_LATENESS_MINUTES = 240


def lesson_moments(lesson: Lesson) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(lesson.date, lesson.start))
    return start, timezone.make_aware(datetime.datetime.combine(lesson.date, lesson.end))


def lesson_students(lesson: Lesson) -> list[Membership]:
    """The active students of the lesson's divisions and groups, by name."""
    weekly = lesson.weekly_lesson
    in_groups = GroupMembership.objects.filter(school=lesson.school_id, group__in=weekly.groups.all()).values(
        "membership"
    )
    return list(
        Membership.objects.filter(
            Q(division__in=weekly.divisions.all()) | Q(pk__in=in_groups),
            school=lesson.school_id,
            profile=Profile.STUDENT,
            active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
        .distinct()
    )


@dataclass
class SheetRow:
    membership: Membership
    absent: bool = False
    late_minutes: int | None = None
    # Absent for the whole lesson by an absence the office or a parent recorded.
    known_absent: bool = False


def roll_call_sheet(lesson: Lesson) -> list[SheetRow]:
    """Every expected student with what is already recorded; a constant number of queries."""
    students = lesson_students(lesson)
    ids = [m.user_id for m in students]
    start, end = lesson_moments(lesson)
    absences = Absence.objects.filter(school=lesson.school_id, student__in=ids, starts_at__lt=end, ends_at__gt=start)
    marked = {a.student_id for a in absences if a.lesson_id == lesson.pk}
    known = {a.student_id for a in absences if a.lesson_id != lesson.pk and a.starts_at <= start and a.ends_at >= end}
    late = dict(Lateness.objects.filter(lesson=lesson).values_list("student", "minutes"))
    return [
        SheetRow(m, absent=m.user_id in marked, late_minutes=late.get(m.user_id), known_absent=m.user_id in known)
        for m in students
    ]


@transaction.atomic
def take_roll_call(*, lesson: Lesson, absent: set[int], late: dict[int, int], taken_by: User) -> RollCall:
    """Save the whole roll call at once: absences and lateness of this lesson become exactly these.

    The parents of a student newly marked absent are told the same day.
    """
    expected = {m.user_id for m in lesson_students(lesson)}
    if not (absent | set(late)) <= expected:
        raise ValidationError(_("Un des élèves n'est pas attendu à cette séance."))
    if absent & set(late):
        raise ValidationError(_("Un élève ne peut pas être à la fois absent et en retard."))
    if any(not 1 <= minutes <= MAX_LATENESS_MINUTES for minutes in late.values()):
        raise ValidationError(_("Un retard compte de 1 à %(max)d minutes.") % {"max": MAX_LATENESS_MINUTES})
    start, end = lesson_moments(lesson)
    recorded = set(Absence.objects.filter(lesson=lesson).values_list("student", flat=True))
    Absence.objects.filter(lesson=lesson).exclude(student__in=absent).delete()
    new_absent = absent - recorded
    Absence.objects.bulk_create(
        Absence(
            school_id=lesson.school_id,
            student_id=student_id,
            starts_at=start,
            ends_at=end,
            source=Absence.Source.ROLL_CALL,
            lesson=lesson,
            created_by=taken_by,
        )
        for student_id in sorted(new_absent)
    )
    Lateness.objects.filter(lesson=lesson).exclude(student__in=late).delete()
    for student_id, minutes in late.items():
        Lateness.objects.update_or_create(
            school_id=lesson.school_id,
            lesson=lesson,
            student_id=student_id,
            defaults={"minutes": minutes, "created_by": taken_by},
        )
    roll_call, _created = RollCall.objects.update_or_create(
        school_id=lesson.school_id, lesson=lesson, defaults={"taken_by": taken_by}
    )
    _tell_parents(lesson, new_absent)
    return roll_call


def _tell_parents(lesson: Lesson, students: set[int]) -> None:
    if not students:
        return
    links = Guardianship.objects.filter(
        school=lesson.school_id, student__in=students, legal_representative=True
    ).select_related("student", "guardian")
    when = formats.date_format(lesson.date, "l j F")
    subject = lesson.weekly_lesson.subject.name
    for link in links:
        notify(
            school=lesson.school,
            recipients=[link.guardian],
            kind="attendance.absent",
            title=_("%(name)s absent(e) en %(subject)s le %(date)s à %(time)s")
            % {
                "name": link.student.first_name,
                "subject": subject,
                "date": when,
                "time": lesson.start.strftime("%H:%M"),
            },
            url=week_url(lesson.school, lesson.date),
        )
