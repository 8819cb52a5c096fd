"""Hand-built lessons and absences for the attendance counts: each test places exactly what it counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from annuaire.models import Division, Membership, Profile, TeachingGroup, User
from schools.models import School
from tests.factories import LessonFactory, MembershipFactory, WeeklyLessonFactory
from vie_scolaire.attendance.services.office import ensure_absence_reasons
from vie_scolaire.models import Absence, AbsenceReason, Lateness, Lesson, RollCall, WeeklyLesson

# A week of November 2026 with no holiday: Monday 16 to Friday 20.
MONDAY = datetime.date(2026, 11, 16)


def day(offset: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=offset)


def at(when: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(when, datetime.time(hour, minute)))


def weekly(school: School, *, divisions: Iterable[Division] = (), groups: Iterable[TeachingGroup] = ()) -> WeeklyLesson:
    return WeeklyLessonFactory(school=school, school_year=2026, divisions=list(divisions), groups=list(groups))


def lesson(
    school: School,
    when: datetime.date,
    start: tuple[int, int],
    end: tuple[int, int],
    *,
    divisions: Iterable[Division] = (),
    groups: Iterable[TeachingGroup] = (),
    of: WeeklyLesson | None = None,
    **extra: object,
) -> Lesson:
    """One lesson on `when`, of its own weekly lesson unless `of` is given."""
    pattern = of or weekly(school, divisions=divisions, groups=groups)
    return LessonFactory(
        school=school,
        weekly_lesson=pattern,
        scheduled_date=extra.pop("scheduled_date", when),
        date=when,
        start=datetime.time(*start),
        end=datetime.time(*end),
        **extra,
    )


def absent(
    student: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    reason: AbsenceReason | None = None,
    lesson: Lesson | None = None,
) -> Absence:
    source = Absence.Source.ROLL_CALL if lesson else Absence.Source.OFFICE
    return Absence.unscoped.create(
        school_id=student_school(student),
        student=student,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        lesson=lesson,
        source=source,
    )


def absent_from(student: User, missed: Lesson, *, reason: AbsenceReason | None = None) -> Absence:
    """The absence a roll call records: exactly the lesson's times."""
    return absent(
        student,
        at(missed.date, missed.start.hour, missed.start.minute),
        at(missed.date, missed.end.hour, missed.end.minute),
        reason=reason,
        lesson=missed,
    )


def late(student: User, lesson: Lesson, minutes: int = 5, *, reason: AbsenceReason | None = None) -> Lateness:
    return Lateness.unscoped.create(
        school_id=lesson.school_id, student=student, lesson=lesson, minutes=minutes, reason=reason
    )


def rolled(lesson: Lesson) -> RollCall:
    return RollCall.unscoped.create(school_id=lesson.school_id, lesson=lesson)


def student_school(student: User) -> int:
    return Membership.unscoped.filter(user=student, profile=Profile.STUDENT).values_list("school", flat=True)[0]


def reasons(school: School) -> dict[str, AbsenceReason]:
    """The default reasons of the school by code (MALADIE justifies, NON_RECEVABLE does not...)."""
    from schools.tenancy import school_scope

    with school_scope(school):
        ensure_absence_reasons(school=school)
    return {reason.code: reason for reason in AbsenceReason.unscoped.filter(school=school)}


def new_student(school: School, division: Division, last_name: str) -> User:
    membership = MembershipFactory(
        school=school, division=division, profile=Profile.STUDENT, user__last_name=last_name, user__first_name="Élève"
    )
    return membership.user
