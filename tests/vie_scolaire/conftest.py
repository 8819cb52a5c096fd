"""A week of lessons in school A of the test world, on fixed dates of the 2026-2027 year."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from annuaire.models import GroupMembership, TeachingGroup
from schools.tenancy import school_scope
from tests.factories import RoomFactory, SubjectFactory, TeachingGroupFactory, WeeklyLessonFactory
from tests.vie_scolaire.grades.grades_world import TODAY as GRADES_TODAY
from tests.vie_scolaire.grades.grades_world import Gradebook, build_gradebook
from tests.world import SchoolCast, World
from vie_scolaire.models import Holiday, Room, SchoolCalendar, WeeklyLesson, WeekPattern
from vie_scolaire.timetable.services import generate_lessons

YEAR = 2026
FIRST_DAY = datetime.date(2026, 9, 1)  # a Tuesday: the week of 31 August is week A
LAST_DAY = datetime.date(2027, 7, 3)
TOUSSAINT = (datetime.date(2026, 10, 17), datetime.date(2026, 11, 1))
# The week these tests look at: Monday 30 November 2026, a week B (week 14 of lessons, Toussaint skipped).
MONDAY = datetime.date(2026, 11, 30)
PARIS = ZoneInfo("Europe/Paris")


def paris_time(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def clock(time_machine) -> Callable[..., None]:  # type: ignore[no-untyped-def]
    """`clock(day, hour, minute)`: the clock of Django, the database's defaults and Celery stops at that
    Paris time, until the next call."""

    def stop_at(day: datetime.date, hour: int, minute: int = 0) -> None:
        time_machine.move_to(paris_time(day, hour, minute), tick=False)

    return stop_at


@dataclass
class Timetable:
    cast: SchoolCast
    room: Room
    other_room: Room
    group: TeachingGroup
    maths: WeeklyLesson  # Monday 8:00-9:00, every week, the division
    week_a: WeeklyLesson  # Tuesday 10:00-11:00, week A
    week_b: WeeklyLesson  # Tuesday 10:00-11:00, week B
    group_lesson: WeeklyLesson  # Thursday 14:00-15:30, the group (the student is in it)
    other_division: WeeklyLesson  # Friday 9:00-10:00, another division


def build_timetable(cast: SchoolCast) -> Timetable:
    school = cast.school
    SchoolCalendar.unscoped.create(school=school, school_year=YEAR, first_day=FIRST_DAY, last_day=LAST_DAY)
    Holiday.unscoped.create(
        school=school, school_year=YEAR, name="Toussaint", first_day=TOUSSAINT[0], last_day=TOUSSAINT[1], from_city=True
    )
    room, other_room = RoomFactory(school=school, code="101"), RoomFactory(school=school, code="CDI", name="CDI")
    group = TeachingGroupFactory(school=school, code="ANG1", name="Anglais groupe 1")
    GroupMembership.unscoped.create(school=school, group=group, membership=cast.student_membership)

    def weekly(weekday: int, start: tuple[int, int], end: tuple[int, int], **extra: object) -> WeeklyLesson:
        extra.setdefault("divisions", [cast.division])
        extra.setdefault("teachers", [cast.teacher])
        return WeeklyLessonFactory(
            school=school,
            school_year=YEAR,
            weekday=weekday,
            start=datetime.time(*start),
            end=datetime.time(*end),
            room=room,
            **extra,
        )

    english = SubjectFactory(school=school, code="ANG", name="Anglais")
    timetable = Timetable(
        cast=cast,
        room=room,
        other_room=other_room,
        group=group,
        maths=weekly(1, (8, 0), (9, 0), subject=cast.subject),
        week_a=weekly(
            2, (10, 0), (11, 0), week_pattern=WeekPattern.A, subject=SubjectFactory(school=school, name="Physique")
        ),
        week_b=weekly(
            2, (10, 0), (11, 0), week_pattern=WeekPattern.B, subject=SubjectFactory(school=school, name="SVT")
        ),
        group_lesson=weekly(4, (14, 0), (15, 30), subject=english, divisions=[], groups=[group]),
        other_division=weekly(5, (9, 0), (10, 0), divisions=[cast.other_division], subject=english),
    )
    with school_scope(school):
        generate_lessons(school=school, school_year=YEAR)
    return timetable


@pytest.fixture
def timetable(world: World) -> Timetable:
    return build_timetable(world.a)


@pytest.fixture
def book(world: World, monkeypatch: pytest.MonkeyPatch) -> Gradebook:
    """School A's first term of grades, seen on 20 November 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: GRADES_TODAY)
    return build_gradebook(world.a)
