"""Reads of lessons: whose lessons a user reads, the same class's lessons, a lesson's page, the classes
whose entries a teacher may copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from annuaire.models import (
    GroupDivision,
    GroupMembership,
    Guardianship,
    Membership,
    Profile,
    TeachingAssignment,
)
from annuaire.selectors import profiles_in
from cahier_textes.models import Attachment, Homework, LessonEntry, Visa
from cahier_textes.permissions import READ_ALL_BOOKS, WRITE_BOOK
from schools.access import not_found
from schools.models import School
from vie_scolaire.models import Lesson, WeeklyLesson
from vie_scolaire.timetable.selectors import LESSON_PREFETCH, LESSON_RELATED


def weekly_of_students(school: School, students: QuerySet[Membership]) -> QuerySet[WeeklyLesson]:
    """The weekly lessons of these students' divisions and groups."""
    return WeeklyLesson.objects.filter(
        Q(divisions__in=students.values("division")) | Q(groups__students__in=students), school=school
    )


def readable_weekly_lessons(user: Any, school: School) -> QuerySet[WeeklyLesson]:
    """The weekly lessons whose book this user reads (the one policy for lists and single lessons)."""
    base = WeeklyLesson.objects.filter(school=school)
    if user.has_perm(READ_ALL_BOOKS, school):
        return base
    profiles = profiles_in(user, school)
    condition = Q(pk__in=[])
    if Profile.STUDENT in profiles:
        own = Membership.objects.filter(school=school, user=user, profile=Profile.STUDENT, active=True)
        condition |= Q(pk__in=weekly_of_students(school, own).values("pk"))
    if Profile.PARENT in profiles:
        children = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True)
        theirs = Membership.objects.filter(
            school=school, user__in=children.values("student"), profile=Profile.STUDENT, active=True
        )
        condition |= Q(pk__in=weekly_of_students(school, theirs).values("pk"))
    if Profile.TEACHER in profiles:
        assignments = TeachingAssignment.objects.filter(school=school, teacher=user)
        condition |= (
            Q(teachers=user)
            | Q(divisions__in=assignments.exclude(division=None).values("division"))
            | Q(groups__in=assignments.exclude(group=None).values("group"))
        )
    return base.filter(condition)


def access_lesson(user: Any, school: School, lesson_id: int) -> Lesson:
    """A lesson whose book this user reads (or writes, as its replacement), or 404 either way."""
    readable = Q(weekly_lesson__in=readable_weekly_lessons(user, school).values("pk")) | Q(replacement_teacher=user)
    lesson = (
        Lesson.objects.filter(readable, school=school, pk=lesson_id)
        .select_related(*LESSON_RELATED, "weekly_lesson__subject")
        .prefetch_related(*LESSON_PREFETCH)
        .first()
    )
    if lesson is None:
        not_found(_("Cette séance n'existe pas ou vous n'avez pas accès à son cahier de textes."))
    return lesson


def same_class_lessons(lesson: Lesson) -> QuerySet[Lesson]:
    """The lessons of the same subject for exactly the same divisions and groups (the same class)."""
    return class_lessons(lesson.weekly_lesson)


def class_lessons(weekly: WeeklyLesson) -> QuerySet[Lesson]:
    """The non-cancelled lessons of a weekly lesson's class: same year, subject, divisions and groups."""
    divisions = {division.pk for division in weekly.divisions.all()}
    groups = {group.pk for group in weekly.groups.all()}
    candidates = WeeklyLesson.objects.filter(
        school=weekly.school_id, school_year=weekly.school_year, subject=weekly.subject_id
    ).prefetch_related("divisions", "groups")
    twins = [
        candidate.pk
        for candidate in candidates
        if {d.pk for d in candidate.divisions.all()} == divisions and {g.pk for g in candidate.groups.all()} == groups
    ]
    return Lesson.objects.filter(school=weekly.school_id, weekly_lesson__in=twins, cancelled=False)


def next_lesson_of(lesson: Lesson) -> Lesson | None:
    """The class's next lesson after this one: the default due lesson of homework (A/B weeks included,
    since the dated lessons already follow them)."""
    later = Q(date__gt=lesson.date) | Q(date=lesson.date, start__gt=lesson.start)
    return same_class_lessons(lesson).filter(later).order_by("date", "start").first()


def upcoming_lessons_of(lesson: Lesson, limit: int = 12) -> list[Lesson]:
    """The class's next lessons, to choose the due lesson from."""
    later = Q(date__gt=lesson.date) | Q(date=lesson.date, start__gt=lesson.start)
    return list(same_class_lessons(lesson).filter(later).order_by("date", "start")[:limit])


def is_covered_by_visa(lesson: Lesson) -> bool:
    """A visa of one of the lesson's teachers for one of its divisions signed for its date."""
    weekly = lesson.weekly_lesson
    groups = [group.pk for group in weekly.groups.all()]
    linked = GroupDivision.objects.filter(school=lesson.school_id, group__in=groups).values("division")
    held = GroupMembership.objects.filter(school=lesson.school_id, group__in=groups).values("membership__division")
    divisions = Q(division__in=[d.pk for d in weekly.divisions.all()]) | Q(division__in=linked) | Q(division__in=held)
    teachers = [t.pk for t in weekly.teachers.all()]
    if lesson.replacement_teacher_id:
        teachers.append(lesson.replacement_teacher_id)
    return Visa.objects.filter(
        divisions, school=lesson.school_id, teacher__in=teachers, covers_until__gte=lesson.date
    ).exists()


@dataclass
class LessonBook:
    lesson: Lesson
    entry: LessonEntry | None
    given: list[Homework]
    due: list[Homework]
    can_write: bool
    # A head's visa covers the lesson: its homework is corrected, not deleted.
    covered: bool = False
    next_lesson: Lesson | None = None
    upcoming: list[Lesson] = field(default_factory=list)

    @property
    def attachments(self) -> list[Attachment]:
        """Every file and link joined to the lesson: its entry's and its homework's (already prefetched)."""
        found = list(self.entry.attachments.all()) if self.entry else []
        return found + [attachment for homework in self.given for attachment in homework.attachments.all()]


def lesson_book(user: Any, lesson: Lesson) -> LessonBook:
    """Everything the lesson's page shows, in a constant number of queries."""
    entry = LessonEntry.objects.filter(lesson=lesson).prefetch_related("attachments", "revisions").first()
    # How many students ticked each one: shown to its teacher.
    given = list(
        Homework.objects.filter(given_in=lesson)
        .select_related("due_lesson")
        .prefetch_related("attachments")
        .annotate(done_count=Count("done_by"))
        .order_by("due_on", "pk")
    )
    due = list(
        Homework.objects.filter(due_lesson=lesson).select_related("given_in__weekly_lesson__subject").order_by("pk")
    )
    can_write = user.has_perm(WRITE_BOOK, lesson)
    book = LessonBook(lesson=lesson, entry=entry, given=given, due=due, can_write=can_write)
    if can_write:
        book.covered = is_covered_by_visa(lesson)
        book.upcoming = upcoming_lessons_of(lesson)
        book.next_lesson = book.upcoming[0] if book.upcoming else None
    return book


@dataclass(frozen=True)
class SourceClass:
    """A class of a teacher's (this year or an earlier one) whose entries may be copied: one of its weekly lessons."""

    weekly: WeeklyLesson
    entries: int

    @property
    def label(self) -> str:
        weekly = self.weekly
        audience = ", ".join([d.name for d in weekly.divisions.all()] + [g.name for g in weekly.groups.all()])
        return f"{weekly.school_year}-{weekly.school_year + 1} · {weekly.subject.name} · {audience}"


def source_classes(teacher: Any, lesson: Lesson) -> list[SourceClass]:
    """The teacher's classes of the lesson's subject, this year and earlier, other than the lesson's own,
    that have entries to copy (progressions)."""
    weekly = (
        WeeklyLesson.objects.filter(school=lesson.school_id, teachers=teacher, subject=lesson.weekly_lesson.subject_id)
        .exclude(pk__in=same_class_lessons(lesson).values("weekly_lesson"))
        .annotate(entries=Count("occurrences__entry"))
        .filter(entries__gt=0)
        .select_related("subject")
        .prefetch_related("divisions", "groups")
        .order_by("-school_year", "pk")
    )
    seen: set[tuple[int, tuple[int, ...], tuple[int, ...]]] = set()
    classes = []
    for candidate in weekly:
        key = (
            candidate.school_year,
            tuple(sorted(d.pk for d in candidate.divisions.all())),
            tuple(sorted(g.pk for g in candidate.groups.all())),
        )
        if key not in seen:
            seen.add(key)
            classes.append(SourceClass(candidate, candidate.entries))
    return classes
