"""Reads of the homework book: whose lessons a user reads, a lesson's page, a student's homework,
a division's workload, the next lesson of the same class."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from annuaire.models import (
    Division,
    GroupDivision,
    GroupMembership,
    Guardianship,
    Membership,
    Profile,
    TeachingAssignment,
    TeachingGroup,
    User,
)
from annuaire.selectors import profiles_in, visible_divisions
from cahier_textes.models import Attachment, Homework, HomeworkDone, LessonEntry, Visa, WorkloadLimit
from cahier_textes.permissions import READ_ALL_BOOKS, WRITE_BOOK
from schools.models import School
from vie_scolaire.calendar.selectors import calendar_of
from vie_scolaire.models import Lesson, WeeklyLesson, WeeklyLessonTeacher
from vie_scolaire.timetable.selectors import (
    LESSON_PREFETCH,
    LESSON_RELATED,
    audience_lessons,
    student_audience,
    teacher_audience,
)

ONE_DAY = datetime.timedelta(days=1)


def _weekly_of_students(school: School, students: QuerySet[Membership]) -> QuerySet[WeeklyLesson]:
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
        condition |= Q(pk__in=_weekly_of_students(school, own).values("pk"))
    if Profile.PARENT in profiles:
        children = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True)
        theirs = Membership.objects.filter(
            school=school, user__in=children.values("student"), profile=Profile.STUDENT, active=True
        )
        condition |= Q(pk__in=_weekly_of_students(school, theirs).values("pk"))
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
        raise Http404(_("Cette séance n'existe pas ou vous n'avez pas accès à son cahier de textes."))
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


# --- A lesson's page ----------------------------------------------------------------------------


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


# --- A student's homework ------------------------------------------------------------------------


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


# --- Workload ------------------------------------------------------------------------------------


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


def division_groups(division: Division) -> QuerySet[Any]:
    """The groups drawn from a division: linked to it, or holding any of its students."""
    linked = GroupDivision.objects.filter(school=division.school_id, division=division).values("group")
    holding = GroupMembership.objects.filter(school=division.school_id, membership__division=division)
    return TeachingGroup.objects.filter(
        Q(pk__in=linked) | Q(pk__in=holding.values("group")), school=division.school_id
    ).values("pk")


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


def access_homework_to_tick(user: Any, school: School, homework_id: int) -> Homework:
    """A homework of the student's own lessons, or 404."""
    own = Membership.objects.filter(school=school, user=user, profile=Profile.STUDENT, active=True)
    homework = (
        Homework.objects.filter(
            school=school, pk=homework_id, given_in__weekly_lesson__in=_weekly_of_students(school, own).values("pk")
        )
        .select_related("given_in")
        .first()
    )
    if homework is None:
        raise Http404(_("Ce travail n'existe pas ou ne vous est pas donné."))
    return homework


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
        raise Http404(_("Ce document n'existe pas ou vous n'y avez pas accès."))
    return attachment


def division_year(division: Division) -> tuple[datetime.date, datetime.date]:
    """The first and last day of lessons of the division's school year."""
    calendar = calendar_of(division.school, division.school_year)
    return calendar.first_day, calendar.last_day


def year_book(division: Division, teacher_id: int | None) -> DivisionBook:
    """A division's whole school year, one teacher's or everyone's (the year-end export)."""
    return division_book(division, *division_year(division), teacher_id)


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


def book_divisions(user: Any, school: School) -> QuerySet[Division]:
    """The divisions whose book this user opens: every one with the right to read all books, else their own."""
    if user.has_perm(READ_ALL_BOOKS, school):
        return Division.objects.filter(school=school)
    return visible_divisions(user, school)


def access_book_division(user: Any, school: School, division_id: int) -> Division:
    division = book_divisions(user, school).filter(pk=division_id).first()
    if division is None:
        raise Http404(_("Cette classe n'existe pas ou vous n'avez pas accès à son cahier de textes."))
    return division
