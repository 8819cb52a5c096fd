"""The school year's weeks: A/B alternation over holidays, a one-week swap, generated dates."""

from __future__ import annotations

import datetime

import pytest

from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import FIRST_DAY, LAST_DAY, MONDAY, TOUSSAINT, YEAR, Timetable
from vie_scolaire.calendar.selectors import year_calendar
from vie_scolaire.calendar.weeks import YearCalendar, days_between, lesson_dates
from vie_scolaire.models import Lesson, WeekOverride
from vie_scolaire.timetable.services import generate_lessons

D = datetime.date
HOLIDAYS = frozenset(days_between(*TOUSSAINT))


def calendar(**overrides: str) -> YearCalendar:
    return YearCalendar(
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        holidays=HOLIDAYS,
        overrides={D.fromisoformat(monday): kind for monday, kind in overrides.items()},
    )


def test_weeks_alternate_from_the_first_and_skip_the_holidays() -> None:
    kinds = calendar().week_kinds()
    assert kinds[D(2026, 8, 31)] == "A"  # the rentrée week, lessons from Tuesday
    assert kinds[D(2026, 9, 7)] == "B"
    assert kinds[D(2026, 10, 12)] == "A"
    # Toussaint's two weeks are not school weeks: the week after goes on from October's A.
    assert D(2026, 10, 19) not in kinds and D(2026, 10, 26) not in kinds
    assert kinds[D(2026, 11, 2)] == "B"
    assert kinds[MONDAY] == "B"


def test_a_one_week_swap_changes_that_week_only() -> None:
    kinds = calendar(**{"2026-11-23": "B"}).week_kinds()
    assert kinds[D(2026, 11, 23)] == "B"
    assert kinds[D(2026, 11, 16)] == "B"  # unchanged before
    assert kinds[MONDAY] == "B"  # and after: the rhythm goes on
    assert kinds[D(2026, 12, 7)] == "A"


def test_lesson_dates_follow_the_pattern() -> None:
    year = calendar()
    every = lesson_dates(calendar=year, weekday=1, week_pattern="every")
    assert every[0] == D(2026, 9, 7)  # 31 August is before the first day
    assert D(2026, 10, 19) not in every and D(2026, 10, 26) not in every
    week_a = lesson_dates(calendar=year, weekday=2, week_pattern="A")
    week_b = lesson_dates(calendar=year, weekday=2, week_pattern="B")
    assert week_a[:3] == [D(2026, 9, 1), D(2026, 9, 15), D(2026, 9, 29)]
    assert week_b[:3] == [D(2026, 9, 8), D(2026, 9, 22), D(2026, 10, 6)]
    assert not set(week_a) & set(week_b)
    chosen = lesson_dates(calendar=year, weekday=3, week_pattern="weeks", weeks=["2026-10-19", "2026-11-30"])
    assert chosen == [D(2026, 12, 2)]  # a chosen week in the holidays loses its day


@pytest.mark.django_db
def test_generation_fills_the_year_and_a_swap_moves_the_lessons(timetable: Timetable) -> None:
    school = timetable.cast.school
    with school_scope(school):
        maths = Lesson.objects.filter(weekly_lesson=timetable.maths)
        assert maths.count() == len(lesson_dates(calendar=year_calendar(school, YEAR), weekday=1, week_pattern="every"))
        tuesday = MONDAY + datetime.timedelta(days=1)
        assert Lesson.objects.filter(weekly_lesson=timetable.week_b, date=tuesday).exists()
        assert not Lesson.objects.filter(weekly_lesson=timetable.week_a, date=tuesday).exists()
        # The head makes this week an A week: the Tuesday lessons swap, the others stay.
        WeekOverride.objects.create(school=school, monday=MONDAY, kind="A")
        result = generate_lessons(school=school, school_year=YEAR)
        assert (result.created, result.deleted) == (1, 1)
        assert Lesson.objects.filter(weekly_lesson=timetable.week_a, date=tuesday).exists()
        assert not Lesson.objects.filter(weekly_lesson=timetable.week_b, date=tuesday).exists()
        assert Lesson.objects.filter(
            weekly_lesson=timetable.week_b, date=tuesday + datetime.timedelta(days=14)
        ).exists()
        again = generate_lessons(school=school, school_year=YEAR)
        assert (again.created, again.updated, again.deleted) == (0, 0, 0)


@pytest.mark.django_db
def test_generation_leaves_the_past_and_the_changed_lessons_alone(timetable: Timetable) -> None:
    school = timetable.cast.school
    with school_scope(school):
        past = Lesson.objects.get(weekly_lesson=timetable.maths, date=D(2026, 11, 23))
        changed = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY + datetime.timedelta(days=7))
        Lesson.objects.filter(pk=changed.pk).update(cancelled=True, changed_at=datetime.datetime.now(datetime.UTC))
        timetable.maths.start, timetable.maths.end = datetime.time(9), datetime.time(10)
        timetable.maths.save()
        result = generate_lessons(school=school, school_year=YEAR, from_day=MONDAY)
        assert result.updated == Lesson.objects.filter(weekly_lesson=timetable.maths, date__gte=MONDAY).count() - 1
        past.refresh_from_db()
        changed.refresh_from_db()
        assert past.start == datetime.time(8)  # history is not rewritten
        assert changed.start == datetime.time(8) and changed.cancelled  # a person's change is kept
        assert Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY).start == datetime.time(9)


@pytest.mark.django_db
def test_generation_up_to_a_day_writes_that_span_only(timetable: Timetable) -> None:
    """One term's lessons (the Paris-scale dataset generates a term, not a year): nothing after `until_day`
    is created, moved or deleted."""
    school = timetable.cast.school
    sunday = MONDAY + datetime.timedelta(days=6)
    with school_scope(school):
        Lesson.objects.filter(weekly_lesson=timetable.maths, date__lte=sunday).delete()
        timetable.maths.start, timetable.maths.end = datetime.time(9), datetime.time(10)
        timetable.maths.save()
        result = generate_lessons(school=school, school_year=YEAR, from_day=FIRST_DAY, until_day=sunday)
        dates = lesson_dates(calendar=year_calendar(school, YEAR), weekday=1, week_pattern="every")
        assert result.created == len([day for day in dates if day <= sunday])
        assert result.deleted == 0
        maths = Lesson.objects.filter(weekly_lesson=timetable.maths)
        assert {lesson.start for lesson in maths.filter(date__lte=sunday)} == {datetime.time(9)}
        assert {lesson.start for lesson in maths.filter(date__gt=sunday)} == {datetime.time(8)}
        assert maths.count() == len(dates)
