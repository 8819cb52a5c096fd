"""The demo schools' calendar, timetables and a term of grades (`seed_demo` steps), and the weekly
planner the benchmark reuses to build a collège's year.

The weekly pattern is planned from the teaching assignments the directory import created:
each division's services placed on the slot grid without double-booking a teacher, one pair
of services alternating week A / week B, then the year's lessons generated, and a few changes
made this week so that the demo shows them.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from annuaire.models import Division, Membership, Profile, TeachingAssignment, User
from annuaire.services.demo import DemoWorld, register_demo_step
from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.calendar.models import Holiday, Period, SchoolCalendar
from vie_scolaire.calendar.weeks import monday_of, shown_day
from vie_scolaire.grades.models import Assessment, Grade, GradeCode
from vie_scolaire.grades.services.grades import ensure_grade_codes
from vie_scolaire.timetable.models import (
    Lesson,
    Room,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonTeacher,
    WeekPattern,
)
from vie_scolaire.timetable.services import LessonChange, change_lesson, generate_lessons

T = datetime.time
SLOTS = (
    ("M1", T(8, 0), T(8, 55)),
    ("M2", T(9, 0), T(9, 55)),
    ("M3", T(10, 10), T(11, 5)),
    ("M4", T(11, 10), T(12, 5)),
    ("S1", T(13, 30), T(14, 25)),
    ("S2", T(14, 30), T(15, 25)),
    ("S3", T(15, 40), T(16, 35)),
    ("S4", T(16, 40), T(17, 35)),
)
WEDNESDAY = 3
AFTERNOON = 4  # index of the first afternoon slot: no lessons on Wednesday afternoon


def zone_c_holidays(school_year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The Paris zone's holidays of 2026-2027 as the ministry's calendar gives them (demo data)."""
    d = datetime.date
    if school_year != 2026:
        return []
    return [
        ("Vacances de la Toussaint", d(2026, 10, 17), d(2026, 11, 1)),
        ("Armistice", d(2026, 11, 11), d(2026, 11, 11)),
        ("Vacances de Noël", d(2026, 12, 19), d(2027, 1, 3)),
        ("Vacances d'hiver", d(2027, 2, 20), d(2027, 3, 7)),
        ("Vacances de printemps", d(2027, 4, 17), d(2027, 5, 2)),
        ("Pont de l'Ascension", d(2027, 5, 6), d(2027, 5, 9)),
    ]


def school_slots() -> list[tuple[int, int]]:
    """(weekday, slot index) of the week's lesson slots."""
    return [
        (weekday, index)
        for weekday in range(1, 6)
        for index in range(len(SLOTS))
        if not (weekday == WEDNESDAY and index >= AFTERNOON)
    ]


@dataclass
class _Placement:
    assignment: TeachingAssignment
    weekday: int
    slot: int
    pattern: str = WeekPattern.EVERY


def _place_division(
    assignments: list[TeachingAssignment], busy_teachers: set[tuple[int, int, int]], rng: random.Random
) -> list[_Placement]:
    """Each service 2 to 4 hours a week, on free slots of the division and of its teacher."""
    free = school_slots()
    rng.shuffle(free)
    placements: list[_Placement] = []
    for assignment in assignments:
        for _hour in range(rng.randint(2, 4)):
            spot = next((s for s in free if (assignment.teacher_id, *s) not in busy_teachers), None)
            if spot is None:
                break
            free.remove(spot)
            busy_teachers.add((assignment.teacher_id, *spot))
            placements.append(_Placement(assignment, *spot))
    # Two services share one slot, one on week A and the other on week B.
    if len(assignments) >= 2 and placements:
        first = placements[-1]
        second = next((a for a in assignments if a.teacher_id != first.assignment.teacher_id), None)
        if second is not None and (second.teacher_id, first.weekday, first.slot) not in busy_teachers:
            first.pattern = WeekPattern.A
            busy_teachers.add((second.teacher_id, first.weekday, first.slot))
            placements.append(_Placement(second, first.weekday, first.slot, WeekPattern.B))
    return placements


def plan_weekly_lessons(*, school: School, school_year: int, rng: random.Random) -> list[WeeklyLesson]:
    """The weekly pattern of every division of the school, from its teaching assignments."""
    divisions = list(Division.objects.filter(school=school, school_year=school_year).order_by("name"))
    rooms = {
        division.pk: Room.objects.get_or_create(school=school, code=f"{101 + index}")[0]
        for index, division in enumerate(divisions)
    }
    by_division: dict[int, list[TeachingAssignment]] = defaultdict(list)
    for assignment in TeachingAssignment.objects.filter(school=school, division__in=divisions).order_by("pk"):
        by_division[assignment.division_id].append(assignment)  # type: ignore[index]
    busy: set[tuple[int, int, int]] = set()
    weekly, teachers, audiences = [], [], []
    for division in divisions:
        for placement in _place_division(by_division[division.pk], busy, rng):
            _code, start, end = SLOTS[placement.slot]
            lesson = WeeklyLesson(
                school=school,
                school_year=school_year,
                subject_id=placement.assignment.subject_id,
                room=rooms[division.pk],
                weekday=placement.weekday,
                start=start,
                end=end,
                week_pattern=placement.pattern,
                source=WeeklyLesson.Source.MANUAL,
                source_key=f"plan-{division.code}-{placement.weekday}-{placement.slot}-{placement.pattern}",
            )
            weekly.append(lesson)
            teachers.append(placement.assignment.teacher_id)
            audiences.append(division.pk)
    WeeklyLesson.objects.bulk_create(weekly, batch_size=1000)
    WeeklyLessonTeacher.objects.bulk_create(
        (
            WeeklyLessonTeacher(school=school, weekly_lesson=w, teacher_id=t)
            for w, t in zip(weekly, teachers, strict=True)
        ),
        batch_size=1000,
    )
    WeeklyLessonDivision.objects.bulk_create(
        (
            WeeklyLessonDivision(school=school, weekly_lesson=w, division_id=d)
            for w, d in zip(weekly, audiences, strict=True)
        ),
        batch_size=1000,
    )
    return weekly


Term = tuple[str, datetime.date, datetime.date]


def trimesters(
    school_year: int, first_ends: tuple[int, int] = (11, 30), second_ends: tuple[int, int] = (3, 7)
) -> list[Term]:
    """Three terms (name, first day, last day) from 1 September to 3 July, the first ending on that
    (month, day) of the autumn, the second on that of the next year; the demo's by default."""
    d, year = datetime.date, school_year
    ends = [d(year, *first_ends), d(year + 1, *second_ends), d(year + 1, 7, 3)]
    starts = [d(year, 9, 1), *(end + datetime.timedelta(days=1) for end in ends[:2])]
    return list(zip(("1er trimestre", "2e trimestre", "3e trimestre"), starts, ends, strict=True))


def write_calendar(school: School, school_year: int, terms: list[Term] | None = None) -> None:
    """The school's year (from 1 September to early July), the zone's holidays, its terms (the demo's
    unless others are given), the slot grid and the CDI."""
    SchoolCalendar.objects.create(
        school=school,
        school_year=school_year,
        first_day=datetime.date(school_year, 9, 1),
        last_day=datetime.date(school_year + 1, 7, 3),
    )
    Holiday.objects.bulk_create(
        Holiday(school=school, school_year=school_year, name=name, first_day=first, last_day=last, from_city=True)
        for name, first, last in zone_c_holidays(school_year)
    )
    Period.objects.bulk_create(
        Period(school=school, school_year=school_year, name=name, first_day=first, last_day=last)
        for name, first, last in terms or trimesters(school_year)
    )
    TimeSlot.objects.bulk_create(TimeSlot(school=school, code=code, start=start, end=end) for code, start, end in SLOTS)
    Room.objects.get_or_create(school=school, code="CDI", defaults={"name": "CDI"})


def change_lessons_this_week(school: School, rng: random.Random) -> int:
    """A cancellation, a room change and a replacement in the coming days, as a school has them."""
    today = timezone.localdate()
    monday = monday_of(shown_day(today))
    lessons = list(
        Lesson.objects.filter(school=school, date__range=(monday, monday + datetime.timedelta(days=4)))
        .select_related("weekly_lesson")
        .order_by("date", "start", "pk")
    )
    if len(lessons) < 3:
        return 0
    direction = User.objects.filter(memberships__school=school, memberships__profile=Profile.DIRECTION).first()
    replacement = (
        User.objects.filter(memberships__school=school, memberships__profile=Profile.TEACHER).order_by("pk").last()
    )
    cdi = Room.objects.get(school=school, code="CDI")
    picked = rng.sample(lessons, 3)
    changes = (
        LessonChange(reason="Professeur absent", cancelled=True),
        LessonChange(reason="Travaux dans la salle", room=cdi),
        LessonChange(reason="Remplacement", replacement_teacher=replacement),
    )
    for lesson, change in zip(picked, changes, strict=True):
        change_lesson(lesson=lesson, change=change, changed_by=direction)  # type: ignore[arg-type]
    return len(picked)


@register_demo_step(name="emploi du temps", order=10)
def seed_timetables(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for school in world.schools.values():
        with school_scope(school):
            if SchoolCalendar.objects.filter(school=school, school_year=world.school_year).exists():
                continue
            write_calendar(school, world.school_year)
            weekly = plan_weekly_lessons(school=school, school_year=world.school_year, rng=world.rng)
            result = generate_lessons(school=school, school_year=world.school_year, weekly_lessons=weekly)
            counts["cours hebdomadaires"] += len(weekly)
            counts["séances de l'année"] += result.created
            counts["séances modifiées cette semaine"] += change_lessons_this_week(school, world.rng)
    return dict(counts)


# --- A term of grades -----------------------------------------------------------------------

ASSESSMENT_TITLES = ("Contrôle", "Devoir maison", "Interrogation", "Évaluation de fin de chapitre")


def _demo_value(rng: random.Random, scale: int) -> Decimal:
    """A plausible grade: most around two thirds of the scale, in half points."""
    raw = min(max(rng.gauss(scale * 0.65, scale * 0.18), 0), scale)
    return Decimal(round(raw * 2) / 2).quantize(Decimal("0.01"))


def _grades_for(
    assessment: Assessment, students: list[int], codes: dict[str, GradeCode], rng: random.Random
) -> list[Grade]:
    grades = []
    for student_id in students:
        roll = rng.random()
        code = codes["Abs"] if roll < 0.03 else codes["Disp"] if roll < 0.04 else None
        grades.append(
            Grade(
                school_id=assessment.school_id,
                assessment=assessment,
                student_id=student_id,
                value=None if code else _demo_value(rng, assessment.scale),
                code=code,
            )
        )
    return grades


@register_demo_step(name="notes", order=20)
def seed_grades(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for school in world.schools.values():
        with school_scope(school):
            term = Period.objects.filter(school=school, school_year=world.school_year).order_by("first_day").first()
            if term is None or Assessment.objects.filter(school=school).exists():
                continue
            Period.objects.filter(pk=term.pk).update(entry_closes_on=term.last_day + datetime.timedelta(days=7))
            ensure_grade_codes(school=school)
            codes = {code.code: code for code in GradeCode.objects.filter(school=school)}
            assessments, grades = [], []
            for assignment in TeachingAssignment.objects.filter(school=school).exclude(division=None).order_by("pk"):
                students = list(
                    Membership.objects.filter(
                        school=school, division=assignment.division_id, profile=Profile.STUDENT, active=True
                    ).values_list("user_id", flat=True)
                )
                for index, title in enumerate(ASSESSMENT_TITLES[: world.rng.randint(2, 4)]):
                    day = term.first_day + datetime.timedelta(days=14 + 20 * index + world.rng.randint(0, 6))
                    assessment = Assessment.objects.create(
                        school=school,
                        assignment=assignment,
                        period=term,
                        title=title,
                        date=day,
                        scale=world.rng.choice((20, 20, 20, 10)),
                        coefficient=Decimal(world.rng.choice((1, 1, 2))),
                        published_to_students_on=day,
                        published_to_parents_on=day,
                        created_by_id=assignment.teacher_id,
                    )
                    assessments.append(assessment)
                    grades += _grades_for(assessment, students, codes, world.rng)
            Grade.objects.bulk_create(grades, batch_size=2000)
            counts["évaluations"] += len(assessments)
            counts["notes"] += len(grades)
    return dict(counts)


# The attendance step lives in its own module; importing it registers it with `seed_demo`.
from vie_scolaire.attendance import demo as demo_attendance  # noqa: E402, F401
