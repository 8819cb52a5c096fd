"""Reads of a student's homework: by due date, for the home page, to tick; what was done in class."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from annuaire.models import (
    Guardianship,
    Membership,
    Profile,
)
from cahier_textes.models import Homework, HomeworkDone, LessonEntry
from cahier_textes.selectors.lessons import weekly_of_students
from schools.access import not_found
from schools.models import School
from vie_scolaire.models import Lesson
from vie_scolaire.timetable.selectors import student_audience


@dataclass
class HomeworkItem:
    homework: Homework
    done: bool
    # What was done in class in the lesson the homework was given (may be empty).
    entry: LessonEntry | None


def student_homework(
    membership: Membership, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, list[HomeworkItem]]]:
    """The student's homework due between two dates, grouped by due date; a constant number of queries."""
    audience = student_audience(membership)
    lessons = Lesson.objects.filter(audience.condition, school=membership.school_id)
    homework = list(
        Homework.objects.filter(school=membership.school_id, given_in__in=lessons, due_on__range=(first, last))
        .select_related("given_in__weekly_lesson__subject", "given_in__entry", "due_lesson")
        .prefetch_related("attachments", "given_in__entry__attachments")
        .order_by("due_on", "given_in__weekly_lesson__subject__name", "pk")
    )
    done = set(
        HomeworkDone.objects.filter(
            school=membership.school_id, student=membership.user_id, homework__in=[h.pk for h in homework]
        ).values_list("homework", flat=True)
    )
    by_day: dict[datetime.date, list[HomeworkItem]] = defaultdict(list)
    for item in homework:
        entry = getattr(item.given_in, "entry", None)
        by_day[item.due_on].append(HomeworkItem(item, item.pk in done, entry))
    return sorted(by_day.items())


def access_homework_to_tick(user: Any, school: School, homework_id: int) -> Homework:
    """A homework of the student's own lessons, or 404."""
    own = Membership.objects.filter(school=school, user=user, profile=Profile.STUDENT, active=True)
    homework = (
        Homework.objects.filter(
            school=school, pk=homework_id, given_in__weekly_lesson__in=weekly_of_students(school, own).values("pk")
        )
        .select_related("given_in")
        .first()
    )
    if homework is None:
        not_found(_("Ce travail n'existe pas ou ne vous est pas donné."))
    return homework


def next_school_day(today: datetime.date) -> datetime.date:
    """Tomorrow, or Monday from Friday on: what a pupil prepares tonight."""
    return today + datetime.timedelta(days=3 - today.weekday() % 4 if today.weekday() >= 4 else 1)


def homework_for_home(user: Any, school: School, day: datetime.date) -> list[tuple[str, list[HomeworkItem]]]:
    """The home page's "homework for tomorrow": one's own, or each child's for a parent (a few queries each)."""
    own = Membership.objects.filter(school=school, user=user, profile=Profile.STUDENT, active=True)
    memberships = list(own.select_related("user"))
    if not memberships:
        children = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True)
        memberships = list(
            Membership.objects.filter(
                school=school, user__in=children.values("student"), profile=Profile.STUDENT, active=True
            )
            .select_related("user")
            .order_by("user__first_name")
        )
    named = any(membership.user_id != user.pk for membership in memberships)
    return [
        (membership.user.first_name if named else "", _items(student_homework(membership, day, day)))
        for membership in memberships
    ]


def _items(days: list[tuple[datetime.date, list[HomeworkItem]]]) -> list[HomeworkItem]:
    return [item for _day, items in days for item in items]


def student_entries(membership: Membership, first: datetime.date, last: datetime.date) -> list[LessonEntry]:
    """What was done in the student's lessons between two dates, in lesson order."""
    audience = student_audience(membership)
    lessons = Lesson.objects.filter(audience.condition, school=membership.school_id, date__range=(first, last))
    return list(
        LessonEntry.objects.filter(school=membership.school_id, lesson__in=lessons)
        .select_related("lesson__weekly_lesson__subject")
        .order_by("lesson__date", "lesson__start")
    )
