"""Reads of the roll call of a lesson: its window, its sheet (who is expected, who is already known
absent), when the families' notice is due and which lessons still owe one. The writes (the save, the
notice) are in vie_scolaire.attendance.services.roll_call.

When a roll call may be taken, and when families hear of it
-----------------------------------------------------------
A roll call opens a few minutes before the lesson starts (`AttendanceSettings.roll_call_opens_before`,
10 by default) and stays open to the lesson's teacher until the end of its day, to the office after
that; before it opens nothing is recorded and the page says when it opens. An absence known in
advance is the office's to record (`record_absence`), as an absence, not as a roll call.

The families' notice of a roll call's absence leaves once, `absence_notice_delay` minutes after the
lesson's start (10 by default), from a task started for that moment (and a sweep, should it be lost):
a student marked absent then present within those minutes costs no message. An absence removed after
its notice left sends a correction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from annuaire.models import GroupMembership, Membership, Profile
from schools.access import not_found
from schools.models import School
from vie_scolaire.attendance.models import Absence, AttendanceSettings, EarlyDeparture, Lateness
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.calendar.weeks import local_moment
from vie_scolaire.permissions import TAKE_ROLL_CALL
from vie_scolaire.timetable.models import Lesson
from vie_scolaire.timetable.selectors import LESSON_PREFETCH, LESSON_RELATED, Audience, Week, audience_lessons


def lesson_moments(lesson: Lesson) -> tuple[datetime.datetime, datetime.datetime]:
    return local_moment(lesson.date, lesson.start), local_moment(lesson.date, lesson.end)


def roll_call_opens_at(lesson: Lesson, rules: AttendanceSettings) -> datetime.datetime:
    """The moment the lesson's roll call opens (the lesson's actual day and start, moved or not)."""
    start, _end = lesson_moments(lesson)
    return start - datetime.timedelta(minutes=rules.roll_call_opens_before)


def roll_call_is_open(lesson: Lesson, rules: AttendanceSettings) -> bool:
    return not lesson.cancelled and timezone.now() >= roll_call_opens_at(lesson, rules)


def roll_call_not_open_message(lesson: Lesson, rules: AttendanceSettings) -> str:
    """Why the roll call cannot be taken yet, in the reader's language ("" when it can)."""
    if lesson.cancelled:
        return _("Cette séance est annulée : il n'y a pas d'appel à faire.")
    if roll_call_is_open(lesson, rules):
        return ""
    opens_at = timezone.localtime(roll_call_opens_at(lesson, rules))
    return _("L'appel de cette séance ouvre le %(date)s à %(time)s.") % {
        "date": formats.date_format(opens_at.date(), "l j F"),
        "time": opens_at.strftime("%H:%M"),
    }


def absence_notice_due_at(lesson: Lesson, rules: AttendanceSettings) -> datetime.datetime:
    start, _end = lesson_moments(lesson)
    return start + datetime.timedelta(minutes=rules.absence_notice_delay)


def mark_open_roll_calls(*, week: Week, user: Any, school: School) -> None:
    """Mark the week's lessons whose roll call the user may take now (the timetable shows the link)."""
    # Without the right in the school no lesson of it is theirs to call (students, parents): nothing to read.
    if not user.has_perm(TAKE_ROLL_CALL, school):
        return
    rules = attendance_settings(school)
    for entry in (entry for week_day in week.days for entry in week_day.entries):
        lesson = entry.lesson
        entry.can_roll_call = (
            not entry.moved_away and roll_call_is_open(lesson, rules) and user.has_perm(TAKE_ROLL_CALL, lesson)
        )


@dataclass(frozen=True)
class DayRollCall:
    lesson: Lesson
    opens_at: datetime.datetime  # local time
    open: bool


def roll_calls_of_the_day(school: School, audience: Audience, day: datetime.date) -> list[DayRollCall]:
    """A teacher's lessons of the day with their roll call and when it opens; a constant number of queries."""
    rules = attendance_settings(school)
    lessons = audience_lessons(school, audience, day, day).select_related("roll_call")
    return [
        DayRollCall(lesson, timezone.localtime(roll_call_opens_at(lesson, rules)), roll_call_is_open(lesson, rules))
        for lesson in lessons
    ]


def lesson_students(lesson: Lesson) -> list[Membership]:
    """The active students of the lesson's divisions and groups, by name."""
    weekly = lesson.weekly_lesson
    in_groups = GroupMembership.objects.filter(school=lesson.school_id, group__in=weekly.groups.all()).values(
        "membership"
    )
    return list(
        Membership.objects.filter(
            Q(division__in=weekly.divisions.all()) | Q(pk__in=in_groups),
            school=lesson.school_id,
            profile=Profile.STUDENT,
            active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
        .distinct()
    )


@dataclass
class SheetRow:
    membership: Membership
    absent: bool = False
    late_minutes: int | None = None
    left_at: datetime.time | None = None
    # Absent for the whole lesson by an absence the office or a parent recorded.
    known_absent: bool = False


def covered_students(lesson: Lesson, absences: Iterable[Absence]) -> set[int]:
    """The students an absence recorded elsewhere (the office, a parent's declaration) covers for the whole lesson."""
    start, end = lesson_moments(lesson)
    return {a.student_id for a in absences if a.lesson_id != lesson.pk and a.starts_at <= start and a.ends_at >= end}


def roll_call_sheet(lesson: Lesson) -> list[SheetRow]:
    """Every expected student with what is already recorded; a constant number of queries."""
    students = lesson_students(lesson)
    ids = [m.user_id for m in students]
    start, end = lesson_moments(lesson)
    absences = Absence.objects.filter(school=lesson.school_id, student__in=ids, starts_at__lt=end, ends_at__gt=start)
    marked = {a.student_id for a in absences if a.lesson_id == lesson.pk}
    known = covered_students(lesson, absences)
    late = dict(Lateness.objects.filter(lesson=lesson).values_list("student", "minutes"))
    left = dict(EarlyDeparture.objects.filter(lesson=lesson).values_list("student", "left_at"))
    return [
        SheetRow(
            m,
            absent=m.user_id in marked,
            late_minutes=late.get(m.user_id),
            left_at=left.get(m.user_id),
            known_absent=m.user_id in known,
        )
        for m in students
    ]


def lessons_owing_notices(*, since: datetime.datetime) -> dict[int, list[int]]:
    """The lessons, by school id, whose roll call recorded absences since `since` not yet told to families.

    Read across schools by the sweep that stands in for a lost task, like the other nightly-kind reads."""
    rows = (
        Absence.unscoped.filter(
            source=Absence.Source.ROLL_CALL, notice_sent_at=None, starts_at__gte=since, starts_at__lte=timezone.now()
        )
        .values_list("school_id", "lesson_id")
        .distinct()
        .order_by("school_id", "lesson_id")
    )
    by_school: dict[int, list[int]] = {}
    for school_id, lesson_id in rows:
        by_school.setdefault(school_id, []).append(lesson_id)
    return by_school


# --- Timetables: whose lessons, in which week -----------------------------------------------


def access_lesson_for_roll_call(user: Any, school: School, lesson_id: int) -> Lesson:
    """A lesson whose roll call this user takes now; 404 for anyone else, 403 for its teacher once the day is over."""
    lesson = (
        Lesson.objects.filter(school=school, pk=lesson_id)
        .select_related(*LESSON_RELATED)
        .prefetch_related(*LESSON_PREFETCH)
        .first()
    )
    if lesson is not None and user.has_perm(TAKE_ROLL_CALL, lesson):
        return lesson
    teaches = lesson is not None and (
        lesson.replacement_teacher_id == user.pk or any(t.pk == user.pk for t in lesson.weekly_lesson.teachers.all())
    )
    if teaches:
        raise PermissionDenied(_("L'appel de cette séance ne se modifie plus : la vie scolaire peut le corriger."))
    not_found(_("Cette séance n'existe pas ou vous n'en faites pas l'appel."))


# --- The calendar's administration -----------------------------------------------------------
