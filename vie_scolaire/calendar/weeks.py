"""The school year's weeks: which days have lessons, which weeks are A or B.

Pure functions over a `YearCalendar` (no database): the selectors build it in three
queries, and lesson generation, week views and imports all read the same answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)
SCHOOL_DAYS = 5  # lessons take place Monday to Friday; Saturday mornings are rare but allowed


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def days_between(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


@dataclass(frozen=True)
class YearCalendar:
    """One school year as the timetable sees it."""

    first_day: datetime.date
    last_day: datetime.date
    holidays: frozenset[datetime.date] = frozenset()
    # Weeks whose alternation the school changed: Monday -> "A" or "B".
    overrides: dict[datetime.date, str] = field(default_factory=dict)

    def is_school_day(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day and day not in self.holidays

    def school_weeks(self) -> list[datetime.date]:
        """The Mondays of the weeks that have at least one weekday of lessons."""
        mondays = []
        monday = monday_of(self.first_day)
        while monday <= self.last_day:
            week = (monday + datetime.timedelta(days=offset) for offset in range(SCHOOL_DAYS))
            if any(self.is_school_day(day) for day in week):
                mondays.append(monday)
            monday += ONE_WEEK
        return mondays

    def week_kinds(self) -> dict[datetime.date, str]:
        """A or B for every school week: they alternate from an A week, holidays skipped.

        An override changes its own week only; the weeks after it keep their rhythm, which is
        what a school means when it swaps one week (a bank holiday, an exam week).
        """
        kinds = {monday: "AB"[index % 2] for index, monday in enumerate(self.school_weeks())}
        for monday, kind in self.overrides.items():
            if monday in kinds:
                kinds[monday] = kind
        return kinds

    def week_kind(self, day: datetime.date) -> str:
        return self.week_kinds().get(monday_of(day), "")


def lesson_dates(
    *,
    calendar: YearCalendar,
    weekday: int,
    week_pattern: str,
    weeks: Iterable[str] = (),
    kinds: dict[datetime.date, str] | None = None,
) -> list[datetime.date]:
    """The dates a weekly lesson takes place (weekday 1 = Monday) over the year."""
    kinds = calendar.week_kinds() if kinds is None else kinds
    if week_pattern == "weeks":
        mondays = sorted({datetime.date.fromisoformat(monday) for monday in weeks})
    elif week_pattern in ("A", "B"):
        mondays = [monday for monday, kind in sorted(kinds.items()) if kind == week_pattern]
    else:
        mondays = sorted(kinds)
    dates = (monday + datetime.timedelta(days=weekday - 1) for monday in mondays)
    if week_pattern == "weeks":
        # The source named these weeks itself: only the holidays still remove a day.
        return [day for day in dates if day not in calendar.holidays]
    return [day for day in dates if calendar.is_school_day(day)]


def shown_day(today: datetime.date) -> datetime.date:
    """The day a week page opens on: today, or the coming Monday on a weekend."""
    if today.weekday() >= SCHOOL_DAYS:
        return today + datetime.timedelta(days=7 - today.weekday())
    return today


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A day and a time of the school's clock (Paris) as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, time))
