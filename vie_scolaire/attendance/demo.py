"""A month and a half of attendance in the demo schools (a `seed_demo` step).

Every past lesson has its roll call; most students miss a lesson now and then, two students per
school miss whole half-days often enough to pass the legal thresholds (4 and 10 unjustified
half-days in a month), the office has justified most older absences, and the demo student has one
absence justified, one justification waiting for the office and one absence still to justify.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from annuaire.models import GroupMembership, Guardianship, Membership, Profile
from annuaire.services.demo import DEMO_STUDENT, DemoWorld, register_demo_step
from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.attendance.models import Absence, AbsenceReason, EarlyDeparture, Justification, Lateness, RollCall
from vie_scolaire.attendance.selectors.roll_call import lesson_moments
from vie_scolaire.timetable.models import Lesson, WeeklyLessonDivision, WeeklyLessonGroup, WeeklyLessonTeacher

NOON = datetime.time(12, 0)
# Chances per student and lesson, and per half-day for the two habitual absentees: one passes 10
# unjustified half-days a month, the other 4, whatever month the demo is seeded in.
ABSENT, LATE, LEAVES = 0.02, 0.01, 0.003
HALF_DAY_MISSED = {"often": 0.7, "sometimes": 0.2}
OFFICE_JUSTIFIES = 0.7


@dataclass
class Rows:
    roll_calls: list[RollCall] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    lateness: list[Lateness] = field(default_factory=list)
    departures: list[EarlyDeparture] = field(default_factory=list)


def _first_day(today: datetime.date) -> datetime.date:
    """The first day of the previous month: one whole month for the legal count, and this one so far."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _lesson_students(school: School, lessons: list[Lesson]) -> dict[int, list[int]]:
    """The students expected at each weekly lesson, from its divisions and groups, in four queries."""
    by_division: dict[int, list[int]] = defaultdict(list)
    for division_id, user_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, active=True, division__isnull=False
    ).values_list("division_id", "user_id"):
        by_division[division_id].append(user_id)
    by_group: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in GroupMembership.objects.filter(school=school).values_list(
        "group_id", "membership__user_id"
    ):
        by_group[group_id].append(user_id)
    weekly_ids = {lesson.weekly_lesson_id for lesson in lessons}
    students: dict[int, set[int]] = defaultdict(set)
    for weekly_id, division_id in WeeklyLessonDivision.objects.filter(weekly_lesson__in=weekly_ids).values_list(
        "weekly_lesson_id", "division_id"
    ):
        students[weekly_id].update(by_division[division_id])
    for weekly_id, group_id in WeeklyLessonGroup.objects.filter(weekly_lesson__in=weekly_ids).values_list(
        "weekly_lesson_id", "group_id"
    ):
        students[weekly_id].update(by_group[group_id])
    return {weekly_id: sorted(ids) for weekly_id, ids in students.items()}


def _roll_calls(school: School, lessons: list[Lesson], rng: random.Random) -> Rows:
    expected = _lesson_students(school, lessons)
    teachers = dict(WeeklyLessonTeacher.objects.filter(school=school).values_list("weekly_lesson_id", "teacher_id"))
    pupils = sorted({student for ids in expected.values() for student in ids})
    absentees = dict(zip(rng.sample(pupils, 2), HALF_DAY_MISSED.values(), strict=True)) if len(pupils) > 2 else {}
    # (student, date, afternoon) -> missed: the absentees miss whole half-days, not single lessons.
    missed_half_days: dict[tuple[int, datetime.date, bool], bool] = {}
    rows = Rows()
    for lesson in lessons:
        taker = lesson.replacement_teacher_id or teachers.get(lesson.weekly_lesson_id)
        rows.roll_calls.append(RollCall(school=school, lesson=lesson, taken_by_id=taker))
        start, end = lesson_moments(lesson)
        for student in expected.get(lesson.weekly_lesson_id, []):
            if student in absentees:
                key = (student, lesson.date, lesson.start >= NOON)
                absent = missed_half_days.setdefault(key, rng.random() < absentees[student])
            else:
                absent = rng.random() < ABSENT
            draw = rng.random()
            if absent:
                rows.absences.append(
                    Absence(
                        school=school, student_id=student, starts_at=start, ends_at=end, lesson=lesson,
                        source=Absence.Source.ROLL_CALL, created_by_id=taker,
                    )
                )  # fmt: skip
            elif draw < LATE:
                rows.lateness.append(
                    Lateness(school=school, student_id=student, lesson=lesson, minutes=rng.randint(2, 20))
                )
            elif draw > 1 - LEAVES:
                middle = (datetime.datetime.combine(lesson.date, lesson.start) + datetime.timedelta(minutes=25)).time()
                rows.departures.append(EarlyDeparture(school=school, student_id=student, lesson=lesson, left_at=middle))
    _office_justifies(school, rows.absences, set(absentees), rng)
    return rows


def _office_justifies(school: School, absences: list[Absence], absentees: set[int], rng: random.Random) -> None:
    """Most older absences of the other students came with a note the office accepted."""
    reasons = list(AbsenceReason.objects.filter(school=school, code__in=("MALADIE", "TRANSPORT", "FAMILLE")))
    week_ago = timezone.now() - datetime.timedelta(days=7)
    for absence in absences:
        if absence.student_id not in absentees and absence.starts_at < week_ago and rng.random() < OFFICE_JUSTIFIES:
            absence.reason = rng.choice(reasons)


def _demo_student_story(school: School) -> int:
    """The demo family's case: one absence justified, one justification waiting, one absence to justify."""
    membership = (
        Membership.objects.filter(school=school, user__username=DEMO_STUDENT.username, division__isnull=False)
        .select_related("user")
        .first()
    )
    if membership is None:
        return 0
    student = membership.user
    lessons = list(
        Lesson.objects.filter(school=school, roll_call__isnull=False, weekly_lesson__divisions=membership.division_id)
        .order_by("-date", "-start")
        .distinct()[:3]
    )
    link = Guardianship.objects.filter(school=school, student=student, legal_representative=True).first()
    parent = link.guardian if link else None
    illness = AbsenceReason.objects.get(school=school, code="MALADIE")
    transport = AbsenceReason.objects.get(school=school, code="TRANSPORT")
    stories = (
        (Justification.Status.ACCEPTED, illness, "Fièvre, certificat médical joint."),
        (Justification.Status.PENDING, transport, "Le métro était arrêté sur la ligne 9."),
        (None, None, ""),
    )
    for lesson, (status, reason, comment) in zip(reversed(lessons), stories, strict=False):
        start, end = lesson_moments(lesson)
        absence, _created = Absence.objects.update_or_create(
            school=school, student=student, lesson=lesson,
            defaults={"starts_at": start, "ends_at": end, "source": Absence.Source.ROLL_CALL},
        )  # fmt: skip
        Lateness.objects.filter(school=school, student=student, lesson=lesson).delete()
        EarlyDeparture.objects.filter(school=school, student=student, lesson=lesson).delete()
        if status is None:
            continue
        justification = Justification.objects.create(
            school=school, student=student, reason=reason, comment=comment, submitted_by=parent, status=status,
            decided_at=timezone.now() if status == Justification.Status.ACCEPTED else None,
        )  # fmt: skip
        absence.justification = justification
        absence.reason = reason if status == Justification.Status.ACCEPTED else None
        absence.save(update_fields=["justification", "reason"])
    return len(lessons)


@register_demo_step(name="absences", order=30)
def seed_attendance(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    today = timezone.localdate()
    for school in world.schools.values():
        with school_scope(school):
            if RollCall.objects.filter(school=school).exists():
                continue
            lessons = list(
                Lesson.objects.filter(school=school, cancelled=False, date__range=(_first_day(today), today))
                .exclude(date=today, end__gt=timezone.localtime().time())
                .order_by("date", "start")
            )
            rows = _roll_calls(school, lessons, world.rng)
            RollCall.objects.bulk_create(rows.roll_calls, batch_size=2000)
            Absence.objects.bulk_create(rows.absences, batch_size=2000)
            Lateness.objects.bulk_create(rows.lateness, batch_size=2000)
            EarlyDeparture.objects.bulk_create(rows.departures, batch_size=2000)
            counts["appels"] += len(rows.roll_calls)
            counts["absences"] += len(rows.absences)
            counts["retards"] += len(rows.lateness)
            counts["départs anticipés"] += len(rows.departures)
            counts["histoire de l'élève de démonstration"] += _demo_student_story(school)
    return dict(counts)
