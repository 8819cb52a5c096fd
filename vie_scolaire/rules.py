"""Relationship rules of vie scolaire: who enters grades in a teaching service, who writes a class council."""

from __future__ import annotations

from typing import Any

from annuaire import roles
from annuaire.models import Division, Profile, TeachingAssignment
from annuaire.selectors import profiles_in
from vie_scolaire.models import Assessment
from vie_scolaire.permissions import ENTER_GRADES, WRITE_COUNCIL


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
    if Profile.DIRECTION in profiles_in(user, division.school):
        return True
    return TeachingAssignment.objects.filter(
        school=division.school_id, division=division, teacher=user, is_head_teacher=True
    ).exists()
