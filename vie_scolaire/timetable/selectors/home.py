"""The school home's reads of the timetable: whose day it shows and their next lesson today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from annuaire.models import Profile
from annuaire.selectors import FollowedStudents, followed_students, profiles_in
from schools.models import School
from schools.rows import school_rows
from vie_scolaire.timetable.selectors import StudentAudience, student_audience


@dataclass(frozen=True)
class NextLesson:
    """What the home page shows of a lesson: its times, subject and room (the lesson's, None without one),
    whether it is cancelled or was changed, and why."""

    start: datetime.time
    end: datetime.time
    subject: str
    room: str | None
    cancelled: bool
    change_reason: str
    is_changed: bool


NEXT_LESSON = """
    SELECT l.start, l."end", subject.name, room.id, room.name, room.code, l.cancelled, l.change_reason,
           l.changed_at IS NOT NULL
    FROM vie_scolaire_lesson l
    JOIN vie_scolaire_weeklylesson weekly ON weekly.id = l.weekly_lesson_id
    JOIN annuaire_subject subject ON subject.id = weekly.subject_id
    LEFT JOIN vie_scolaire_room room ON room.id = l.room_id
    WHERE l.school_id = %(school)s AND ({whose}) AND l.date = %(today)s AND l."end" > %(now)s
    ORDER BY l.start, l.id
    LIMIT 1"""
STUDENT_LESSONS = "l.weekly_lesson_id IN %(weekly)s"
TEACHER_LESSONS = """l.weekly_lesson_id IN (
    SELECT taught.weekly_lesson_id FROM vie_scolaire_weeklylessonteacher taught
    WHERE taught.school_id = %(school)s AND taught.teacher_id = %(teacher)s
) OR l.replacement_teacher_id = %(teacher)s"""


def next_lesson(now: datetime.datetime, whose: str, **params: Any) -> NextLesson | None:
    """Today's next lesson not over yet, a cancelled one included (people need to know), of a student
    (`STUDENT_LESSONS`, weekly=...) or a teacher (`TEACHER_LESSONS`, teacher=...): the few fields the home
    page shows, in one hand-written read (schools.rows)."""
    today, time_now = timezone.localdate(now), timezone.localtime(now).time()
    rows = school_rows(NEXT_LESSON.format(whose=whose), today=today, now=time_now, **params)
    if not rows:
        return None
    start, end, subject, room_id, room_name, room_code, cancelled, change_reason, is_changed = rows[0]
    return NextLesson(
        start=start,
        end=end,
        subject=subject,
        # As a Room reads itself: its name, else its code.
        room=(room_name or room_code) if room_id is not None else None,
        cancelled=bool(cancelled),
        change_reason=change_reason,
        is_changed=bool(is_changed),
    )


def home_audiences(followed: FollowedStudents) -> list[StudentAudience]:
    """The audiences of the students a home shows (`FollowedStudents.shown`): a query each."""
    return [student_audience(membership) for membership in followed.shown]


def next_lessons_for(
    user: Any, school: School, now: datetime.datetime, students: list[StudentAudience] | None = None
) -> list[tuple[str, NextLesson | None]]:
    """The home page's "next lesson": one's own, or each child's for a parent (a query or two each).

    `students`: the page's `home_audiences(followed_students(user, school))`, when it read them already.
    """
    profiles = profiles_in(user, school)
    if Profile.TEACHER in profiles and Profile.STUDENT not in profiles:
        return [("", next_lesson(now, TEACHER_LESSONS, teacher=user.pk))]
    # Parents see their children, staff and heads every student: a legal child of theirs is always visible.
    if not profiles & {Profile.STUDENT, Profile.PARENT, Profile.STAFF, Profile.DIRECTION}:
        return []
    if students is None:
        students = home_audiences(followed_students(user, school))
    return [
        ("" if audience.membership.user_id == user.pk else audience.membership.user.first_name,
         next_lesson(now, STUDENT_LESSONS, weekly=audience.weekly_lessons) if audience.weekly_lessons else None)
        for audience in students
    ]  # fmt: skip
