"""Reads of a division's or a teacher's book: lessons with what is written in them, teachers, visas,
attachments, the divisions a user opens."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from annuaire.models import (
    Division,
    GroupDivision,
    GroupMembership,
    TeachingGroup,
    User,
)
from annuaire.selectors import visible_divisions
from cahier_textes.models import Attachment, Homework, LessonEntry, Visa
from cahier_textes.permissions import READ_ALL_BOOKS
from cahier_textes.selectors.lessons import readable_weekly_lessons
from schools.access import not_found
from schools.models import School
from vie_scolaire.calendar.selectors import calendar_of
from vie_scolaire.models import Lesson, WeeklyLesson, WeeklyLessonTeacher
from vie_scolaire.timetable.selectors import LESSON_PREFETCH, LESSON_RELATED, audience_lessons, teacher_audience


def division_groups(division: Division) -> QuerySet[Any]:
    """The groups drawn from a division: linked to it, or holding any of its students."""
    linked = GroupDivision.objects.filter(school=division.school_id, division=division).values("group")
    holding = GroupMembership.objects.filter(school=division.school_id, membership__division=division)
    return TeachingGroup.objects.filter(
        Q(pk__in=linked) | Q(pk__in=holding.values("group")), school=division.school_id
    ).values("pk")


@dataclass
class BookLesson:
    lesson: Lesson
    entry: LessonEntry | None
    homework: list[Homework]


def _book_lessons(lessons: QuerySet[Lesson]) -> list[BookLesson]:
    """Lessons with their entry and the homework given in them: five queries whatever their number."""
    rows = list(
        lessons.select_related(*LESSON_RELATED, "entry").prefetch_related(*LESSON_PREFETCH).order_by("date", "start")
    )
    given: dict[int, list[Homework]] = defaultdict(list)
    for homework in Homework.objects.filter(given_in__in=[row.pk for row in rows]).order_by("due_on", "pk"):
        given[homework.given_in_id].append(homework)
    return [BookLesson(row, getattr(row, "entry", None), given[row.pk]) for row in rows]


def teacher_book(school: School, teacher: Any, first: datetime.date, last: datetime.date) -> list[BookLesson]:
    """A teacher's own lessons (and replacements) between two dates, with what is written in them."""
    return _book_lessons(audience_lessons(school, teacher_audience(school, teacher), first, last))


@dataclass
class DivisionBook:
    division: Division
    lessons: list[BookLesson]
    teachers: list[Any]
    visas: list[Visa]


def division_book(
    division: Division, first: datetime.date, last: datetime.date, teacher_id: int | None = None
) -> DivisionBook:
    """A division's book (its lessons and its groups') between two dates, one teacher's or everyone's."""
    weekly = division_weekly_lessons(division)
    lessons = Lesson.objects.filter(school=division.school_id, weekly_lesson__in=weekly.values("pk")).filter(
        date__range=(first, last)
    )
    visas = Visa.objects.filter(school=division.school_id, division=division).select_related("teacher", "signed_by")
    if teacher_id is not None:
        lessons = lessons.filter(Q(weekly_lesson__teachers=teacher_id) | Q(replacement_teacher=teacher_id))
        visas = visas.filter(teacher=teacher_id)
    return DivisionBook(division, _book_lessons(lessons.distinct()), division_teachers(division), list(visas))


def division_weekly_lessons(division: Division) -> QuerySet[WeeklyLesson]:
    """The division's own weekly lessons and its groups'."""
    return WeeklyLesson.objects.filter(
        Q(divisions=division) | Q(groups__in=division_groups(division)), school=division.school_id
    )


def division_teachers(division: Division) -> list[User]:
    """The teachers of a division's lessons and of its groups', by name."""
    weekly = division_weekly_lessons(division)
    taught = WeeklyLessonTeacher.objects.filter(school=division.school_id, weekly_lesson__in=weekly.values("pk"))
    return list(User.objects.filter(pk__in=taught.values("teacher")).order_by("last_name", "first_name"))


def access_attachment(user: Any, school: School, attachment_id: int) -> Attachment:
    """An attachment of a lesson whose book this user reads, or 404."""
    readable = readable_weekly_lessons(user, school).values("pk")
    attachment = (
        Attachment.objects.filter(school=school, pk=attachment_id)
        .filter(
            Q(entry__lesson__weekly_lesson__in=readable)
            | Q(homework__given_in__weekly_lesson__in=readable)
            | Q(entry__lesson__replacement_teacher=user)
            | Q(homework__given_in__replacement_teacher=user)
        )
        .first()
    )
    if attachment is None:
        not_found(_("Ce document n'existe pas ou vous n'y avez pas accès."))
    return attachment


def division_year(division: Division) -> tuple[datetime.date, datetime.date]:
    """The first and last day of lessons of the division's school year."""
    calendar = calendar_of(division.school, division.school_year)
    return calendar.first_day, calendar.last_day


def year_book(division: Division, teacher_id: int | None) -> DivisionBook:
    """A division's whole school year, one teacher's or everyone's (the year-end export)."""
    return division_book(division, *division_year(division), teacher_id)


def book_divisions(user: Any, school: School) -> QuerySet[Division]:
    """The divisions whose book this user opens: every one with the right to read all books, else their own."""
    if user.has_perm(READ_ALL_BOOKS, school):
        return Division.objects.filter(school=school)
    return visible_divisions(user, school)


def access_book_division(user: Any, school: School, division_id: int) -> Division:
    division = book_divisions(user, school).filter(pk=division_id).first()
    if division is None:
        not_found(_("Cette classe n'existe pas ou vous n'avez pas accès à son cahier de textes."))
    return division
