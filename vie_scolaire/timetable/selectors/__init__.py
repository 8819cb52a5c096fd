"""Reads of the timetable: whose lessons, the week, the lessons' people, the feeds, the calendar page; the
school home's next lesson in `home`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire import selectors as annuaire_selectors
from annuaire.models import Division, GroupDivision, GroupMembership, Guardianship, Membership, Profile, User
from annuaire.selectors import hash_key, profiles_in, visible_students
from schools.access import not_found
from schools.models import School
from schools.tenancy import cross_school
from schools.years import school_year_of
from vie_scolaire.calendar.models import Holiday, Period, SchoolCalendar
from vie_scolaire.calendar.selectors import calendar_of, year_calendar
from vie_scolaire.calendar.weeks import ONE_WEEK, SCHOOL_DAYS, monday_of
from vie_scolaire.permissions import CHANGE_LESSONS, VIEW_ROOMS, VIEW_STAFF_TIMETABLES
from vie_scolaire.timetable.models import (
    CalendarFeed,
    Lesson,
    Room,
    TimeSlot,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
)

# --- Timetables: whose lessons, in which week -----------------------------------------------

LESSON_RELATED = ("weekly_lesson__subject", "weekly_lesson__room", "room", "replacement_teacher")
LESSON_PREFETCH = ("weekly_lesson__teachers", "weekly_lesson__divisions", "weekly_lesson__groups")
# The week page reads each weekly lesson's divisions and groups as lists (`division_list`, `group_list`): a
# prefetch into a list builds no queryset for each lesson of the week. The teachers stay a prefetched relation,
# which the roll call's rule iterates (`weekly_lesson.teachers.all()`).
WEEK_PREFETCH = (
    # Their names only: the week shows them, the roll call's rule compares their ids.
    Prefetch("weekly_lesson__teachers", queryset=User.objects.only("pk", "first_name", "last_name")),
    Prefetch("weekly_lesson__divisions", to_attr="division_list"),
    Prefetch("weekly_lesson__groups", to_attr="group_list"),
)


@dataclass(frozen=True)
class Audience:
    """Whose timetable: a student, a division, a teacher or a room, with a title for the page."""

    kind: str
    title: str
    condition: Q


@dataclass(frozen=True)
class StudentAudience(Audience):
    """A student's: their membership (with the user) and the weekly lessons of their division and groups,
    which the homework book reads too."""

    membership: Membership
    weekly_lessons: tuple[int, ...]


def student_weekly_lessons(membership: Membership) -> tuple[int, ...]:
    """The ids of the weekly lessons of the student's division and groups, in one small query: the queries that
    read the student's lessons then filter on a list instead of compiling and planning three nested subqueries."""
    school_id = membership.school_id
    groups = GroupMembership.objects.filter(school=school_id, membership=membership).values("group")
    weekly = _weekly_lessons_of(WeeklyLessonGroup, school_id=school_id, group__in=groups)
    if membership.division_id is not None:
        weekly = _weekly_lessons_of(WeeklyLessonDivision, school_id=school_id, division=membership.division_id).union(
            weekly
        )
    return tuple(sorted(set(weekly)))


def _weekly_lessons_of(link: type[WeeklyLessonDivision | WeeklyLessonGroup], **condition: Any) -> QuerySet[Any, int]:
    # Read on the link tables, whose division and group keys are indexed: a join of the weekly lessons to both
    # links under one OR scans every weekly lesson of the school (9 ms on a Paris school, against under 1).
    return link.objects.filter(**condition).order_by().values_list("weekly_lesson", flat=True)


def student_audience(membership: Membership) -> StudentAudience:
    """A student's lessons (one query: the weekly lessons of their division and groups)."""
    weekly = student_weekly_lessons(membership)
    return StudentAudience("student", membership.user.get_full_name(), Q(weekly_lesson__in=weekly), membership, weekly)


def division_audience(division: Division) -> Audience:
    """The division's own lessons and those of the groups drawn from it."""
    groups = GroupDivision.objects.filter(school=division.school_id, division=division).values("group")
    by_division = _weekly_lessons_of(WeeklyLessonDivision, school_id=division.school_id, division=division)
    by_groups = _weekly_lessons_of(WeeklyLessonGroup, school_id=division.school_id, group__in=groups)
    return Audience("division", division.name, Q(weekly_lesson__in=by_division) | Q(weekly_lesson__in=by_groups))


def teacher_audience(school: School, teacher: User) -> Audience:
    taught = WeeklyLessonTeacher.objects.filter(school=school, teacher=teacher).values("weekly_lesson")
    return Audience("teacher", teacher.get_full_name(), Q(weekly_lesson__in=taught) | Q(replacement_teacher=teacher))


def room_audience(room: Room) -> Audience:
    return Audience("room", str(room), Q(room=room) | Q(weekly_lesson__room=room))


def audience_lessons(school: School, audience: Audience, first: datetime.date, last: datetime.date) -> QuerySet[Lesson]:
    """The audience's lessons taking place, or planned, between two dates; four queries once evaluated."""
    in_range = Q(date__range=(first, last)) | Q(scheduled_date__range=(first, last))
    return (
        Lesson.objects.filter(audience.condition, in_range, school=school)
        .select_related(*LESSON_RELATED)
        .prefetch_related(*LESSON_PREFETCH)
        .order_by("date", "start")
    )


def access_student(user: Any, school: School, student_id: int) -> Membership:
    """A student this user may see the timetable of (a parent's child, oneself...), or 404."""
    message = _("Cet élève n'existe pas ou vous n'avez pas accès à son emploi du temps.")
    return annuaire_selectors.access_student(user, school, student_id, message=message)


def school_teachers(school: School) -> QuerySet[User]:
    teachers = Membership.objects.filter(school=school, profile=Profile.TEACHER, active=True)
    return User.objects.filter(pk__in=teachers.values("user")).order_by("last_name", "first_name")


def visible_teachers(user: Any, school: School) -> QuerySet[User]:
    """The teachers whose timetable this user may open: all for staff and heads, else oneself."""
    if user.has_perm(VIEW_STAFF_TIMETABLES, school):
        return school_teachers(school)
    return school_teachers(school).filter(pk=user.pk)


def access_teacher(user: Any, school: School, teacher_id: int) -> User:
    found = visible_teachers(user, school).filter(pk=teacher_id).first()
    if found is None:
        not_found(_("Cet enseignant n'existe pas ou vous n'avez pas accès à son emploi du temps."))
    return found


def own_audience(user: Any, school: School) -> Audience | None:
    """A student's or a teacher's own timetable; None for the others (parents choose a child)."""
    profiles = profiles_in(user, school)
    if Profile.STUDENT in profiles:
        return student_audience(access_student(user, school, user.pk))
    if Profile.TEACHER in profiles:
        return teacher_audience(school, user)
    return None


def visible_rooms(user: Any, school: School) -> QuerySet[Room]:
    if not user.has_perm(VIEW_ROOMS, school):
        return Room.objects.none()
    return Room.objects.filter(school=school)


def access_room(user: Any, school: School, room_id: int) -> Room:
    found = visible_rooms(user, school).filter(pk=room_id).first()
    if found is None:
        not_found(_("Cette salle n'existe pas ou vous n'avez pas accès à son occupation."))
    return found


def access_lesson_to_change(user: Any, school: School, lesson_id: int) -> Lesson:
    """A lesson this user may change, or 404 whether it is absent, foreign or not theirs to change."""
    found = None
    if user.has_perm(CHANGE_LESSONS, school):
        found = (
            Lesson.objects.filter(school=school, pk=lesson_id)
            .select_related(*LESSON_RELATED)
            .prefetch_related(*LESSON_PREFETCH)
            .first()
        )
    if found is None:
        not_found(_("Cette séance n'existe pas ou vous ne pouvez pas la modifier."))
    return found


# Sent by the timetable's pages with the week about to be shown, so that the sub-domains above the
# timetable mark its lessons without the timetable importing them: attendance marks the lessons whose
# roll call the viewer may take now (vie_scolaire/signals.py connects it).
week_shown = Signal()  # keyword arguments: week, user, school


@dataclass
class DayEntry:
    lesson: Lesson
    # The lesson was planned on this day and moved to another: shown struck through here.
    moved_away: bool = False
    # The viewer may take this lesson's roll call now: attendance's rule, which marks the entries
    # when the week is shown (`week_shown`).
    can_roll_call: bool = False


@dataclass
class Day:
    date: datetime.date
    is_school_day: bool
    entries: list[DayEntry] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


@dataclass
class Week:
    monday: datetime.date
    kind: str
    days: list[Day]

    @property
    def previous(self) -> datetime.date:
        return self.monday - ONE_WEEK

    @property
    def next(self) -> datetime.date:
        return self.monday + ONE_WEEK

    @property
    def last_day(self) -> datetime.date:
        return self.days[-1].date


def week_dates(monday: datetime.date, lessons: list[Lesson]) -> list[datetime.date]:
    """Monday to Friday, and Saturday when a lesson falls on it."""
    count = SCHOOL_DAYS + (1 if any(lesson.date.weekday() == SCHOOL_DAYS for lesson in lessons) else 0)
    return [monday + datetime.timedelta(days=offset) for offset in range(count)]


def timetable_week(school: School, audience: Audience, day: datetime.date) -> Week:
    """The week holding `day` for the audience: a constant number of queries (calendar and lessons)."""
    monday = monday_of(day)
    calendar = year_calendar(school, school_year_of(monday + datetime.timedelta(days=4)))
    found = audience_lessons(school, audience, monday, monday + datetime.timedelta(days=6))
    lessons = list(found.prefetch_related(None).prefetch_related(*WEEK_PREFETCH))
    days = {date: Day(date, calendar.is_school_day(date)) for date in week_dates(monday, lessons)}
    for lesson in lessons:
        if lesson.date in days:
            days[lesson.date].entries.append(DayEntry(lesson))
        if lesson.scheduled_date != lesson.date and lesson.scheduled_date in days:
            days[lesson.scheduled_date].entries.append(DayEntry(lesson, moved_away=True))
    for entry_day in days.values():
        entry_day.entries.sort(key=lambda entry: _planned_start(entry))
    return Week(monday=monday, kind=calendar.week_kind(monday), days=list(days.values()))


def _planned_start(entry: DayEntry) -> datetime.time:
    return entry.lesson.weekly_lesson.start if entry.moved_away else entry.lesson.start


def lesson_families(lesson: Lesson) -> QuerySet[User]:
    """The lesson's active students and their legal representatives."""
    weekly = lesson.weekly_lesson
    groups = GroupMembership.objects.filter(school=lesson.school_id, group__in=weekly.groups.all()).values("membership")
    students = Membership.objects.filter(
        Q(division__in=weekly.divisions.all()) | Q(pk__in=groups),
        school=lesson.school_id,
        profile=Profile.STUDENT,
        active=True,
    ).values("user")
    parents = Guardianship.objects.filter(
        school=lesson.school_id, student__in=students, legal_representative=True
    ).values("guardian")
    return User.objects.filter(Q(pk__in=students) | Q(pk__in=parents), is_active=True)


def concerned_people(lesson: Lesson) -> list[User]:
    """Who a change of this lesson concerns: its students, their legal representatives, its teachers."""
    teachers = Q(pk__in=lesson.weekly_lesson.teachers.all(), is_active=True)
    found = list(User.objects.filter(Q(pk__in=lesson_families(lesson).values("pk")) | teachers))
    if lesson.replacement_teacher is not None:
        found.append(lesson.replacement_teacher)
    return found


def week_url(school: School, day: datetime.date) -> str:
    return reverse("timetable:mine", kwargs={"uai": school.uai}) + f"?date={day.isoformat()}"


def feed_url(key: str) -> str:
    return reverse("timetable_feed", kwargs={"key": key})


def find_calendar_feed(key: str) -> CalendarFeed | None:
    """The active feed whose secret key is `key`, with its school; None when unknown or revoked."""
    if not key or len(key) > 100:
        return None
    with cross_school():
        return (
            CalendarFeed.unscoped.select_related("school", "owner", "student")
            .filter(key_hash=hash_key(key), revoked_at=None)
            .first()
        )


FEED_HISTORY = datetime.timedelta(weeks=4)


def feed_range(school: School, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A feed carries the last four weeks and the rest of the school year."""
    calendar = calendar_of(school, school_year_of(today))
    return today - FEED_HISTORY, max(calendar.last_day, today + ONE_WEEK)


def feed_audience(feed: CalendarFeed) -> Audience | None:
    """Whose lessons the feed gives, if its owner may still see them (left the school: none)."""
    owner = feed.owner
    if not owner.is_active:
        return None
    school = feed.school
    target = feed.student or owner
    membership = visible_students(owner, school).select_related("user").filter(user=target).first()
    if membership is not None:
        return student_audience(membership)
    if feed.student is None and Profile.TEACHER in profiles_in(owner, school):
        return teacher_audience(school, owner)
    return None


def user_calendar_feeds(school: School, owner: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(school=school, owner=owner).select_related("student").order_by("-created_at")


# --- The calendar's administration -----------------------------------------------------------


@dataclass
class CalendarPage:
    calendar: SchoolCalendar
    holidays: list[Holiday]
    periods: list[Period]
    # (Monday, kind, changed by the school) for every school week.
    weeks: list[tuple[datetime.date, str, bool]]
    slots: list[TimeSlot]
    rooms: list[Room]


def calendar_page(school: School, school_year: int) -> CalendarPage:
    """Everything the head's calendar page shows, in a fixed number of queries."""
    calendar = calendar_of(school, school_year)
    holidays = list(Holiday.objects.filter(school=school, school_year=school_year).order_by("first_day"))
    year = year_calendar(school, school_year)
    return CalendarPage(
        calendar=calendar,
        holidays=holidays,
        periods=list(Period.objects.filter(school=school, school_year=school_year).order_by("first_day")),
        weeks=[(monday, kind, monday in year.overrides) for monday, kind in sorted(year.week_kinds().items())],
        slots=list(TimeSlot.objects.filter(school=school).order_by("start")),
        rooms=list(Room.objects.filter(school=school).order_by("code")),
    )
