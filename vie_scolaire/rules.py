"""Relationship rules of vie scolaire: who may enter grades in a teaching service."""

from __future__ import annotations

from typing import Any

from annuaire import roles
from annuaire.models import TeachingAssignment
from vie_scolaire.models import Assessment
from vie_scolaire.permissions import ENTER_GRADES


@roles.rule(ENTER_GRADES, TeachingAssignment)
def can_grade_assignment(user: Any, assignment: TeachingAssignment, held: frozenset[str]) -> bool:
    return ENTER_GRADES in held and assignment.teacher_id == user.pk


@roles.rule(ENTER_GRADES, Assessment)
def can_grade_assessment(user: Any, assessment: Assessment, held: frozenset[str]) -> bool:
    return ENTER_GRADES in held and assessment.assignment.teacher_id == user.pk
