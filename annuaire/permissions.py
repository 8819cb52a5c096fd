"""The role table for the directory and the schools, and the directory's relationship rules."""

from __future__ import annotations

from typing import Any

from annuaire import roles
from annuaire.models import Division, Membership, Profile
from annuaire.selectors import visible_divisions, visible_students
from schools import permissions as school_perms

VIEW_DIRECTORY = "annuaire.view_directory"
VIEW_STUDENT = "annuaire.view_student"
VIEW_DIVISION = "annuaire.view_division"

roles.grant_table({
    roles.EVERY_PROFILE: [VIEW_DIRECTORY, VIEW_STUDENT, VIEW_DIVISION],
    Profile.DIRECTION: [
        school_perms.VIEW_OVERVIEW, school_perms.MANAGE_SERVICES, school_perms.MANAGE_ACCOUNTS,
        school_perms.MANAGE_DELEGATIONS,
    ],
})  # fmt: skip


@roles.rule(VIEW_STUDENT, Membership)
def can_view_student(user: Any, membership: Membership, held: frozenset[str]) -> bool:
    if VIEW_STUDENT not in held:
        return False
    return visible_students(user, membership.school).filter(pk=membership.pk).exists()


@roles.rule(VIEW_DIVISION, Division)
def can_view_division(user: Any, division: Division, held: frozenset[str]) -> bool:
    if VIEW_DIVISION not in held:
        return False
    return visible_divisions(user, division.school).filter(pk=division.pk).exists()
