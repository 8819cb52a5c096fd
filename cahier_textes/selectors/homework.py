"""Reads of a student's homework: by due date, for the home page, to tick; what was done in class."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from annuaire.models import Membership, Profile
from annuaire.selectors import followed_students
from cahier_textes.models import Homework, HomeworkDone, LessonEntry
from cahier_textes.selectors.lessons import weekly_of_students
from schools.access import not_found
from schools.models import School
from schools.rows import school_rows
from vie_scolaire.timetable.selectors import StudentAudience, student_audience
from vie_scolaire.timetable.selectors.home import home_audiences


@dataclass
class HomeworkItem:
    homework: Homework
    done: bool
    # What was done in class in the lesson the homework was given (may be empty).
    entry: LessonEntry | None


def _due_homework(audience: StudentAudience, first: datetime.date, last: datetime.date) -> QuerySet[Homework]:
    """The homework given in the student's lessons and due between two dates, by due date and subject."""
    return Homework.objects.filter(
        school=audience.membership.school_id,
        given_in__weekly_lesson__in=audience.weekly_lessons,
        due_on__range=(first, last),
    ).order_by("due_on", "given_in__weekly_lesson__subject__name", "pk")


def _ticked(membership: Membership, homework: list[Homework]) -> set[int]:
    """Which of this homework the student ticked as done (no query for none)."""
    if not homework:
        return set()
    return set(
        HomeworkDone.objects.filter(
            school=membership.school_id, student=membership.user_id, homework__in=[h.pk for h in homework]
        ).values_list("homework", flat=True)
    )


def student_homework(
    membership: Membership, first: datetime.date, last: datetime.date, audience: StudentAudience | None = None
) -> list[tuple[datetime.date, list[HomeworkItem]]]:
    """The student's homework due between two dates, grouped by due date; a constant number of queries.

    `audience`: the student's `student_audience`, when the page read it already.
    """
    audience = audience or student_audience(membership)
    homework = list(
        _due_homework(audience, first, last)
        .select_related("given_in__weekly_lesson__subject", "given_in__entry", "due_lesson")
        .prefetch_related("attachments", "given_in__entry__attachments")
    )
    done = _ticked(membership, homework)
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


@dataclass(frozen=True)
class HomeHomework:
    """What the home page shows of a homework: the subject, the words, whether the student ticked it."""

    subject: str
    description: str
    done: bool


def homework_for_home(
    user: Any, school: School, day: datetime.date, students: list[StudentAudience] | None = None
) -> list[tuple[str, list[HomeHomework]]]:
    """The home page's "homework for tomorrow": one's own, or each child's for a parent (a query each).

    `students`: the page's `home_audiences(followed_students(user, school))`, when it read them already.
    """
    if students is None:
        students = home_audiences(followed_students(user, school))
    named = any(audience.membership.user_id != user.pk for audience in students)
    return [(audience.membership.user.first_name if named else "", _home_items(audience, day)) for audience in students]


HOME_HOMEWORK = """
    SELECT subject.name, h.description, EXISTS (
        SELECT 1 FROM cahier_textes_homeworkdone ticked
        WHERE ticked.school_id = %(school)s AND ticked.homework_id = h.id AND ticked.student_id = %(student)s
    )
    FROM cahier_textes_homework h
    JOIN vie_scolaire_lesson given_in ON given_in.id = h.given_in_id
    JOIN vie_scolaire_weeklylesson weekly ON weekly.id = given_in.weekly_lesson_id
    JOIN annuaire_subject subject ON subject.id = weekly.subject_id
    WHERE h.school_id = %(school)s AND h.due_on = %(day)s AND given_in.weekly_lesson_id IN %(weekly)s
    ORDER BY subject.name, h.id"""


def _home_items(audience: StudentAudience, day: datetime.date) -> list[HomeHomework]:
    """The homework due on `day` in the student's lessons, by subject, each with its tick: one hand-written
    read (schools.rows) of the rows the page shows."""
    if not audience.weekly_lessons:
        return []
    rows = school_rows(HOME_HOMEWORK, student=audience.membership.user_id, day=day, weekly=audience.weekly_lessons)
    return [HomeHomework(subject, description, bool(done)) for subject, description, done in rows]


def student_entries(membership: Membership, first: datetime.date, last: datetime.date) -> list[LessonEntry]:
    """What was done in the student's lessons between two dates, in lesson order."""
    weekly = student_audience(membership).weekly_lessons
    return list(
        LessonEntry.objects.filter(
            school=membership.school_id, lesson__weekly_lesson__in=weekly, lesson__date__range=(first, last)
        )
        .select_related("lesson__weekly_lesson__subject")
        .order_by("lesson__date", "lesson__start")
    )
