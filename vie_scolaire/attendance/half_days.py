"""The legal count of absences: per student and date range, the lessons missed and the half-days.

A student is expected at the non-cancelled lessons (where and when they really took place) of
the weekly lessons of their active division membership and of their groups. An absence covers a
lesson when their times overlap. A half-day (a date, morning or afternoon, split at the school
year's `SchoolCalendar.afternoon_starts_at`) is absent when at least one expected lesson in it is
missed, and unjustified when at least one missed lesson in it is covered by no justified absence
(an absence is justified when its own reason justifies). Lateness is never an absence.

Everything is read in a fixed number of queries whatever the size of the school (lessons, their
divisions and groups, students, group memberships, absences, lateness, calendars), then counted
in memory: a month of a 650-student collège is a few thousand lessons and absences.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from annuaire.models import Division, GroupMembership, Membership, Profile
from schools.models import School
from schools.years import school_year_of
from vie_scolaire.attendance.models import Absence, Lateness
from vie_scolaire.calendar.models import SchoolCalendar
from vie_scolaire.calendar.weeks import local_moment
from vie_scolaire.timetable.models import Lesson, WeeklyLessonDivision, WeeklyLessonGroup

# Without a calendar for the year, the afternoon starts at noon (the model's default).
DEFAULT_AFTERNOON = datetime.time(12, 0)


@dataclass(frozen=True)
class ExpectedLesson:
    lesson_id: int
    date: datetime.date
    start: datetime.datetime  # local, naive: compared with absences turned local and naive
    end: datetime.datetime
    afternoon: bool

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def half_day(self) -> tuple[datetime.date, bool]:
        return self.date, self.afternoon


@dataclass(frozen=True)
class MissedLesson:
    lesson: ExpectedLesson
    justified: bool


@dataclass(frozen=True)
class _Span:
    """An absence as local naive times, with whether its own reason justifies it."""

    start: datetime.datetime
    end: datetime.datetime
    justified: bool


@dataclass
class StudentCount:
    """One student's attendance over the range: what they were expected at and what they missed."""

    membership: Membership
    expected_minutes: int = 0
    missed: list[MissedLesson] = field(default_factory=list)
    lateness: int = 0

    @property
    def student_id(self) -> int:
        return self.membership.user_id

    @property
    def half_days_absent(self) -> int:
        return len({m.lesson.half_day for m in self.missed})

    @property
    def half_days_unjustified(self) -> int:
        return len({m.lesson.half_day for m in self.missed if not m.justified})

    @property
    def half_days_justified(self) -> int:
        return self.half_days_absent - self.half_days_unjustified

    @property
    def minutes_missed(self) -> int:
        return sum(m.lesson.minutes for m in self.missed)

    @property
    def hours_missed(self) -> float:
        return self.minutes_missed / 60

    @property
    def hours_expected(self) -> float:
        return self.expected_minutes / 60


def count_half_days(
    *,
    school: School,
    first: datetime.date,
    last: datetime.date,
    division: Division | None = None,
    for_report_card: bool = False,
) -> dict[int, StudentCount]:
    """Every active student's count from `first` to `last` included, by student (user) id.

    `division` keeps its students only (with their group lessons). `for_report_card` leaves out
    the absences and lateness whose reason does not count on the report card (a school trip, say);
    those without a reason count.
    """
    students = _students(school, division)
    groups_of = _groups_of(school, division)
    lessons_by_weekly = _lessons_by_weekly(school, first, last)
    weekly_by_division, weekly_by_group = _weekly_by_audience(school, first, last)
    spans = _absence_spans(school, first, last, division, for_report_card=for_report_card)
    late = _lateness(school, first, last, division, for_report_card=for_report_card)
    counts = {}
    for membership in students:
        weekly_ids = set(weekly_by_division.get(membership.division_id or 0, ()))
        for group_id in groups_of.get(membership.pk, ()):
            weekly_ids |= weekly_by_group.get(group_id, set())
        expected = [lesson for weekly_id in weekly_ids for lesson in lessons_by_weekly.get(weekly_id, ())]
        counts[membership.user_id] = StudentCount(
            membership=membership,
            expected_minutes=sum(lesson.minutes for lesson in expected),
            missed=_missed(expected, spans.get(membership.user_id, [])),
            lateness=late.get(membership.user_id, 0),
        )
    return counts


def _missed(expected: list[ExpectedLesson], spans: list[_Span]) -> list[MissedLesson]:
    """The expected lessons some absence overlaps, justified when one of those absences is."""
    if not spans:
        return []
    missed = []
    for lesson in expected:
        covering = [span for span in spans if span.start < lesson.end and span.end > lesson.start]
        if covering:
            missed.append(MissedLesson(lesson=lesson, justified=any(span.justified for span in covering)))
    missed.sort(key=lambda m: m.lesson.start)
    return missed


def _students(school: School, division: Division | None) -> list[Membership]:
    memberships = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True)
    if division is not None:
        memberships = memberships.filter(division=division)
    return list(memberships.select_related("user", "division").order_by("user__last_name", "user__first_name"))


def _groups_of(school: School, division: Division | None) -> dict[int, list[int]]:
    """The groups of each active student membership, by membership id."""
    links = GroupMembership.objects.filter(school=school, membership__profile=Profile.STUDENT, membership__active=True)
    if division is not None:
        links = links.filter(membership__division=division)
    groups: dict[int, list[int]] = defaultdict(list)
    for membership_id, group_id in links.values_list("membership", "group"):
        groups[membership_id].append(group_id)
    return groups


def _range_lessons(school: School, first: datetime.date, last: datetime.date) -> Q:
    # Where the lesson took place: a lesson moved into the range counts, one moved out does not.
    return Q(school=school, date__range=(first, last), cancelled=False)


def _lessons_by_weekly(school: School, first: datetime.date, last: datetime.date) -> dict[int, list[ExpectedLesson]]:
    afternoons = _afternoons(school, first, last)
    by_weekly: dict[int, list[ExpectedLesson]] = defaultdict(list)
    rows = Lesson.objects.filter(_range_lessons(school, first, last)).values_list(
        "pk", "weekly_lesson", "date", "start", "end"
    )
    for pk, weekly_id, day, start, end in rows.order_by():
        afternoon = start >= afternoons.get(school_year_of(day), DEFAULT_AFTERNOON)
        by_weekly[weekly_id].append(
            ExpectedLesson(
                lesson_id=pk,
                date=day,
                start=datetime.datetime.combine(day, start),
                end=datetime.datetime.combine(day, end),
                afternoon=afternoon,
            )
        )
    return by_weekly


def _afternoons(school: School, first: datetime.date, last: datetime.date) -> dict[int, datetime.time]:
    years = {school_year_of(first), school_year_of(last)}
    return dict(
        SchoolCalendar.objects.filter(school=school, school_year__in=years).values_list(
            "school_year", "afternoon_starts_at"
        )
    )


def _weekly_by_audience(
    school: School, first: datetime.date, last: datetime.date
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The weekly lessons (with a lesson in the range) of every division and of every group."""
    weekly = Lesson.objects.filter(_range_lessons(school, first, last)).values("weekly_lesson")
    by_division: dict[int, set[int]] = defaultdict(set)
    for weekly_id, division_id in WeeklyLessonDivision.objects.filter(
        school=school, weekly_lesson__in=weekly
    ).values_list("weekly_lesson", "division"):
        by_division[division_id].add(weekly_id)
    by_group: dict[int, set[int]] = defaultdict(set)
    for weekly_id, group_id in WeeklyLessonGroup.objects.filter(school=school, weekly_lesson__in=weekly).values_list(
        "weekly_lesson", "group"
    ):
        by_group[group_id].add(weekly_id)
    return by_division, by_group


def range_moments(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first day's midnight to the midnight after the last day, local time."""
    return local_moment(first, datetime.time.min), local_moment(last + datetime.timedelta(days=1), datetime.time.min)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _of_division(school: School, division: Division | None) -> Q:
    """A division's count reads its students' absences only; the whole school's reads them all."""
    if division is None:
        return Q()
    students = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True, division=division)
    return Q(student__in=students.values("user"))


def _absence_spans(
    school: School,
    first: datetime.date,
    last: datetime.date,
    division: Division | None,
    *,
    for_report_card: bool,
) -> dict[int, list[_Span]]:
    start, end = range_moments(first, last)
    absences = Absence.objects.filter(school=school, starts_at__lt=end, ends_at__gt=start)
    if for_report_card:
        absences = absences.filter(Q(reason__isnull=True) | Q(reason__counts_on_report=True))
    absences = absences.filter(_of_division(school, division))
    spans: dict[int, list[_Span]] = defaultdict(list)
    rows = absences.values_list("student", "starts_at", "ends_at", "reason__justifies").order_by()
    for student_id, starts_at, ends_at, justifies in rows:
        spans[student_id].append(_Span(start=_local(starts_at), end=_local(ends_at), justified=bool(justifies)))
    return spans


def _lateness(
    school: School,
    first: datetime.date,
    last: datetime.date,
    division: Division | None,
    *,
    for_report_card: bool,
) -> dict[int, int]:
    lateness = Lateness.objects.filter(school=school, lesson__date__range=(first, last), lesson__cancelled=False)
    if for_report_card:
        lateness = lateness.filter(Q(reason__isnull=True) | Q(reason__counts_on_report=True))
    lateness = lateness.filter(_of_division(school, division))
    return dict(lateness.values("student").annotate(count=Count("pk")).order_by().values_list("student", "count"))
