"""The half-day count on hand-built weeks: each case places its lessons and absences and counts them."""

from __future__ import annotations

import datetime

import pytest

from annuaire.models import GroupMembership, Membership
from schools.tenancy import school_scope
from tests.budgets import max_queries
from tests.factories import TeachingGroupFactory
from tests.vie_scolaire.attendance.half_day_support import absent, absent_from, at, day, late, lesson, reasons
from tests.world import SchoolCast, World
from vie_scolaire.attendance.half_days import StudentCount, count_half_days
from vie_scolaire.models import SchoolCalendar

pytestmark = pytest.mark.django_db


def count(cast: SchoolCast, *, first: int = 0, last: int = 4, **options: object) -> dict[int, StudentCount]:
    with school_scope(cast.school):
        return count_half_days(school=cast.school, first=day(first), last=day(last), **options)  # type: ignore[arg-type]


def test_several_lessons_missed_in_one_half_day_count_once(world: World) -> None:
    cast = world.a
    school, division = cast.school, [cast.division]
    first, _second, third = (lesson(school, day(0), (h, 0), (h + 1, 0), divisions=division) for h in (8, 9, 10))
    absent_from(cast.student, first)
    absent_from(cast.student, third)
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.half_days_unjustified) == (1, 1)
    assert [m.lesson.lesson_id for m in student.missed] == [first.pk, third.pk]
    assert student.minutes_missed == 120 and student.expected_minutes == 180
    assert count(cast)[cast.classmate.pk].half_days_absent == 0


def test_an_absence_spanning_days_covers_every_half_day_it_overlaps(world: World) -> None:
    cast = world.a
    school, division = cast.school, [cast.division]
    for offset, hours in ((0, (8, 14)), (1, (8,)), (2, (8, 14))):
        for hour in hours:
            lesson(school, day(offset), (hour, 0), (hour + 1, 0), divisions=division)
    # From Monday morning to Wednesday midnight: Monday's two half-days and Tuesday morning.
    absent(cast.student, at(day(0), 0), at(day(2), 0))
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.half_days_unjustified) == (3, 3)
    assert sorted({m.lesson.half_day for m in student.missed}) == [(day(0), False), (day(0), True), (day(1), False)]


def test_an_absence_overlapping_two_lessons_misses_both(world: World) -> None:
    cast = world.a
    for hour in (8, 9):
        lesson(cast.school, day(0), (hour, 0), (hour + 1, 0), divisions=[cast.division])
    absent(cast.student, at(day(0), 8, 30), at(day(0), 9, 15))  # left at the nurse's, back after break
    assert len(count(cast)[cast.student.pk].missed) == 2


def test_justified_only_when_the_absences_own_reason_justifies(world: World) -> None:
    cast = world.a
    by_code = reasons(cast.school)
    monday, tuesday, wednesday = (
        lesson(cast.school, day(n), (8, 0), (9, 0), divisions=[cast.division]) for n in range(3)
    )
    absent_from(cast.student, monday, reason=by_code["MALADIE"])
    absent_from(cast.student, tuesday, reason=by_code["NON_RECEVABLE"])
    absent_from(cast.student, wednesday)  # no reason yet
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.half_days_unjustified, student.half_days_justified) == (3, 2, 1)


def test_a_half_day_with_one_justified_and_one_unjustified_lesson_is_unjustified(world: World) -> None:
    cast = world.a
    maths, french = (lesson(cast.school, day(0), (h, 0), (h + 1, 0), divisions=[cast.division]) for h in (8, 10))
    absent_from(cast.student, maths, reason=reasons(cast.school)["MALADIE"])
    absent_from(cast.student, french)
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.half_days_unjustified) == (1, 1)


def test_a_lesson_covered_by_a_justified_absence_is_justified_whatever_else_covers_it(world: World) -> None:
    cast = world.a
    maths = lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.division])
    absent_from(cast.student, maths)  # the roll call's, no reason
    absent(cast.student, at(day(0), 0), at(day(1), 0), reason=reasons(cast.school)["MALADIE"])  # the office's
    assert count(cast)[cast.student.pk].half_days_unjustified == 0


def test_lateness_is_not_an_absence(world: World) -> None:
    cast = world.a
    maths = lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.division])
    late(cast.student, maths, minutes=20)
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.lateness, student.minutes_missed) == (0, 1, 0)


def test_cancelled_lessons_are_neither_expected_nor_missed(world: World) -> None:
    cast = world.a
    lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.division], cancelled=True)
    held = lesson(cast.school, day(1), (8, 0), (9, 0), divisions=[cast.division])
    absent(cast.student, at(day(0), 0), at(day(1), 0))
    student = count(cast)[cast.student.pk]
    assert (student.half_days_absent, student.expected_minutes) == (0, 60)
    absent_from(cast.student, held)
    assert count(cast)[cast.student.pk].half_days_absent == 1


def test_a_moved_lesson_counts_where_it_took_place(world: World) -> None:
    cast = world.a
    # Planned on Monday, given on Tuesday afternoon.
    lesson(cast.school, day(1), (14, 0), (15, 0), divisions=[cast.division], scheduled_date=day(0))
    absent(cast.student, at(day(0), 0), at(day(1), 0))
    assert count(cast)[cast.student.pk].half_days_absent == 0
    absent(cast.student, at(day(1), 13), at(day(1), 18))
    assert [m.lesson.half_day for m in count(cast)[cast.student.pk].missed] == [(day(1), True)]


def test_the_afternoon_starts_at_the_calendars_hour(world: World) -> None:
    cast = world.a
    for hour in (11, 12, 14):
        lesson(cast.school, day(0), (hour, 0), (hour + 1, 0), divisions=[cast.division])
    absent(cast.student, at(day(0), 12), at(day(0), 13))
    # Without a calendar, noon: the 12:00 lesson is in the afternoon.
    assert [m.lesson.afternoon for m in count(cast)[cast.student.pk].missed] == [True]
    SchoolCalendar.unscoped.create(
        school=cast.school,
        school_year=2026,
        first_day=datetime.date(2026, 9, 1),
        last_day=datetime.date(2027, 7, 3),
        afternoon_starts_at=datetime.time(13, 30),
    )
    # Lunch ends at 13:30 in this school: the 12:00 lesson belongs to the morning.
    absent(cast.student, at(day(0), 14), at(day(0), 15))
    student = count(cast)[cast.student.pk]
    assert [m.lesson.afternoon for m in student.missed] == [False, True]
    assert student.half_days_absent == 2


def test_group_lessons_are_expected_of_the_groups_students_only(world: World) -> None:
    cast = world.a
    group = TeachingGroupFactory(school=cast.school, code="LAT", name="Latin")
    GroupMembership.unscoped.create(school=cast.school, group=group, membership=cast.student_membership)
    latin = lesson(cast.school, day(3), (15, 0), (16, 0), groups=[group])
    absent(cast.student, at(day(3), 0), at(day(4), 0))
    absent(cast.classmate, at(day(3), 0), at(day(4), 0))
    counts = count(cast)
    assert [m.lesson.lesson_id for m in counts[cast.student.pk].missed] == [latin.pk]
    assert counts[cast.classmate.pk].expected_minutes == 0 and counts[cast.classmate.pk].half_days_absent == 0


def test_only_the_range_and_active_students_are_counted(world: World) -> None:
    cast = world.a
    friday = lesson(cast.school, day(4), (8, 0), (9, 0), divisions=[cast.division])
    absent_from(cast.student, friday)
    assert count(cast, last=3)[cast.student.pk].half_days_absent == 0
    Membership.unscoped.filter(pk=cast.student_membership.pk).update(active=False)
    assert cast.student.pk not in count(cast)


def test_the_report_card_leaves_out_reasons_that_do_not_count_on_it(world: World) -> None:
    cast = world.a
    by_code = reasons(cast.school)
    monday, tuesday, wednesday, thursday = (
        lesson(cast.school, day(n), (8, 0), (9, 0), divisions=[cast.division]) for n in range(4)
    )
    absent_from(cast.student, monday, reason=by_code["SCOLAIRE"])  # a school trip: justified, not on the card
    absent_from(cast.student, tuesday)
    late(cast.student, wednesday, reason=by_code["SCOLAIRE"])
    late(cast.student, thursday)
    everything = count(cast)[cast.student.pk]
    assert (everything.half_days_absent, everything.lateness) == (2, 2)
    on_card = count(cast, for_report_card=True)[cast.student.pk]
    assert (on_card.half_days_absent, on_card.half_days_unjustified, on_card.lateness) == (1, 1, 1)


def test_a_division_is_counted_alone_with_its_group_lessons(world: World) -> None:
    cast = world.a
    maths = lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.division])
    other = lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.other_division])
    absent_from(cast.student, maths)
    absent_from(cast.other_student, other)
    counts = count(cast, division=cast.division)
    assert set(counts) == {cast.student.pk, cast.classmate.pk}
    assert counts[cast.student.pk].half_days_unjustified == 1


def test_the_count_reads_a_fixed_number_of_queries(world: World) -> None:
    cast = world.a
    for offset in range(5):
        for hour in (8, 10, 14):
            missed = lesson(cast.school, day(offset), (hour, 0), (hour + 1, 0), divisions=[cast.division])
            absent_from(cast.student, missed)
            late(cast.classmate, missed)
    # Students, group memberships, lessons, calendars, divisions and groups of lessons, absences, lateness.
    with max_queries(8):
        counts = count(cast)
    assert counts[cast.student.pk].half_days_absent == 10 and counts[cast.classmate.pk].lateness == 15
