"""Reads of a division's workload: homework and announced assessments per day and week, against the school's limits."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from annuaire.models import (
    Division,
)
from cahier_textes.models import Homework, WorkloadLimit
from cahier_textes.selectors.book import division_weekly_lessons
from schools.models import School
from vie_scolaire.models import Lesson

ONE_DAY = datetime.timedelta(days=1)


@dataclass
class DayLoad:
    day: datetime.date
    homework: int = 0
    minutes: int = 0
    assessments: int = 0
    over_minutes: bool = False


@dataclass
class Workload:
    days: list[DayLoad]
    limit: WorkloadLimit
    # Announced assessments per week (Monday -> count) and the weeks over the limit.
    assessments_by_week: dict[datetime.date, int]

    @property
    def weeks_over(self) -> list[datetime.date]:
        return [monday for monday, n in self.assessments_by_week.items() if n > self.limit.assessments_per_week]

    @property
    def total_minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def total_homework(self) -> int:
        return sum(day.homework for day in self.days)


def lesson_workloads(lesson: Lesson) -> list[Workload]:
    """The next two weeks' workload of each division the lesson is for, shown to its teacher giving homework."""
    start = lesson.date + ONE_DAY
    return [
        division_workload(division, start, start + 13 * ONE_DAY) for division in lesson.weekly_lesson.divisions.all()
    ]


def workload_limit(school: School) -> WorkloadLimit:
    """The school's thresholds, or the defaults when the school has not set its own."""
    return WorkloadLimit.objects.filter(school=school).first() or WorkloadLimit(school=school)


def division_workload(division: Division, first: datetime.date, last: datetime.date) -> Workload:
    """Homework and announced assessments due by a division (its own lessons and its groups') per day."""
    weekly = division_weekly_lessons(division)
    rows = (
        Homework.objects.filter(
            school=division.school_id, given_in__weekly_lesson__in=weekly.values("pk"), due_on__range=(first, last)
        )
    ).values_list("due_on", "minutes", "kind")
    limit = workload_limit(division.school)
    days = {first + ONE_DAY * n: DayLoad(first + ONE_DAY * n) for n in range((last - first).days + 1)}
    by_week: dict[datetime.date, int] = defaultdict(int)
    for due_on, minutes, kind in rows:
        load = days[due_on]
        load.homework += 1
        load.minutes += minutes or 0
        if kind == Homework.Kind.ASSESSMENT:
            load.assessments += 1
            by_week[due_on - datetime.timedelta(days=due_on.weekday())] += 1
    for load in days.values():
        load.over_minutes = load.minutes > limit.minutes_per_day
    return Workload(days=list(days.values()), limit=limit, assessments_by_week=dict(by_week))
