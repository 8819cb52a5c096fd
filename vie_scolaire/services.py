"""Writes of the timetable: lesson generation, one day's changes, calendar feeds."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from schools.models import School
from vie_scolaire.models import Lesson, WeeklyLesson
from vie_scolaire.selectors import year_calendar
from vie_scolaire.weeks import lesson_dates

BATCH = 2000


@dataclass
class GenerationResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


@transaction.atomic
def generate_lessons(
    *,
    school: School,
    school_year: int,
    weekly_lessons: Iterable[WeeklyLesson] | None = None,
    from_day: datetime.date | None = None,
) -> GenerationResult:
    """Bring the dated lessons of the weekly pattern in line with it, from `from_day` on.

    Lessons before `from_day` are history and stay as they are. Later ones are created,
    moved to the pattern's time and room, or deleted when the pattern no longer has them;
    an occurrence a person changed (cancelled, moved, replaced) keeps that change.
    """
    from_day = from_day or datetime.date.min
    calendar = year_calendar(school, school_year)
    kinds = calendar.week_kinds()
    if weekly_lessons is None:
        weekly_lessons = WeeklyLesson.objects.filter(school=school, school_year=school_year)
    weekly_by_id = {weekly.pk: weekly for weekly in weekly_lessons}
    existing: dict[tuple[int, datetime.date], Lesson] = {
        (lesson.weekly_lesson_id, lesson.scheduled_date): lesson
        for lesson in Lesson.objects.filter(
            school=school, weekly_lesson_id__in=list(weekly_by_id), scheduled_date__gte=from_day
        )
    }
    result = GenerationResult()
    to_create: list[Lesson] = []
    to_update: list[Lesson] = []
    for weekly in weekly_by_id.values():
        dates = lesson_dates(
            calendar=calendar, weekday=weekly.weekday, week_pattern=weekly.week_pattern, weeks=weekly.weeks, kinds=kinds
        )
        for day in dates:
            if day < from_day:
                continue
            lesson = existing.pop((weekly.pk, day), None)
            if lesson is None:
                to_create.append(_occurrence(weekly, day))
            elif not lesson.is_changed and _follow_pattern(lesson, weekly):
                to_update.append(lesson)
    Lesson.objects.bulk_create(to_create, batch_size=BATCH)
    Lesson.objects.bulk_update(to_update, ["start", "end", "room"], batch_size=BATCH)
    stale = [lesson.pk for lesson in existing.values()]
    for index in range(0, len(stale), BATCH):
        Lesson.objects.filter(school=school, pk__in=stale[index : index + BATCH]).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    return result


def _occurrence(weekly: WeeklyLesson, day: datetime.date) -> Lesson:
    return Lesson(
        school_id=weekly.school_id,
        weekly_lesson=weekly,
        scheduled_date=day,
        date=day,
        start=weekly.start,
        end=weekly.end,
        room_id=weekly.room_id,
    )


def _follow_pattern(lesson: Lesson, weekly: WeeklyLesson) -> bool:
    """Give an unchanged occurrence the pattern's time and room; answers whether it moved."""
    if (lesson.start, lesson.end, lesson.room_id) == (weekly.start, weekly.end, weekly.room_id):
        return False
    lesson.start, lesson.end, lesson.room_id = weekly.start, weekly.end, weekly.room_id
    return True
