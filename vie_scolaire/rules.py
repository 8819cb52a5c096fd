"""Relationship rules of vie scolaire: who enters grades in a service, writes a class council, takes a roll call,
justifies a student's absences, keeps their attendance from their parents."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from annuaire import roles
from annuaire.models import Division, Membership, Profile, TeachingAssignment
from annuaire.selectors import profiles_in
from vie_scolaire.attendance.selectors.families import follows_attendance, is_adult
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.grades.models import Assessment
from vie_scolaire.permissions import (
    ENTER_GRADES,
    JUSTIFY_ABSENCES,
    TAKE_ROLL_CALL,
    WITHHOLD_ATTENDANCE,
    WRITE_COUNCIL,
)
from vie_scolaire.timetable.models import Lesson


@roles.rule(ENTER_GRADES, TeachingAssignment)
def can_grade_assignment(user: Any, assignment: TeachingAssignment, held: frozenset[str]) -> bool:
    return ENTER_GRADES in held and assignment.teacher_id == user.pk


@roles.rule(ENTER_GRADES, Assessment)
def can_grade_assessment(user: Any, assessment: Assessment, held: frozenset[str]) -> bool:
    return ENTER_GRADES in held and assessment.assignment.teacher_id == user.pk


@roles.rule(WRITE_COUNCIL, Division)
def can_write_council(user: Any, division: Division, held: frozenset[str]) -> bool:
    """The direction for every division; a teacher only as the division's head teacher."""
    if WRITE_COUNCIL not in held:
        return False
    if Profile.DIRECTION in profiles_in(user, division.school_id):
        return True
    return TeachingAssignment.objects.filter(
        school=division.school_id, division=division, teacher=user, is_head_teacher=True
    ).exists()


@roles.rule(TAKE_ROLL_CALL, Lesson)
def can_take_roll_call(user: Any, lesson: Lesson, held: frozenset[str]) -> bool:
    """The office at any time; the lesson's teacher (or replacement) until the end of its day."""
    if TAKE_ROLL_CALL not in held:
        return False
    if profiles_in(user, lesson.school_id) & {Profile.STAFF, Profile.DIRECTION}:
        return True
    if timezone.localdate() > lesson.date:
        return False
    if lesson.replacement_teacher_id == user.pk:
        return True
    # Iterating (not filtering) reads the teachers a week page already prefetched: no query per lesson.
    return any(teacher.pk == user.pk for teacher in lesson.weekly_lesson.teachers.all())


@roles.rule(JUSTIFY_ABSENCES, Membership)
def can_justify(user: Any, membership: Membership, held: frozenset[str]) -> bool:
    """The adult student for themself (the law lets them); a legal representative while they follow the
    student's attendance (a minor's always, an adult's unless the student withheld it)."""
    if JUSTIFY_ABSENCES not in held or membership.profile != Profile.STUDENT:
        return False
    if membership.user_id == user.pk:
        return is_adult(user)
    return follows_attendance(user, membership.school_id, membership.user_id)


@roles.rule(WITHHOLD_ATTENDANCE, Membership)
def can_withhold(user: Any, membership: Membership, held: frozenset[str]) -> bool:
    """An adult student, for their own attendance, when the school's rules allow it."""
    if WITHHOLD_ATTENDANCE not in held or membership.profile != Profile.STUDENT or membership.user_id != user.pk:
        return False
    return is_adult(user) and attendance_settings(membership.school_id).adult_students_may_withhold
