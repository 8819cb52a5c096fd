"""Reads of the directory: memberships, relationships, account lists."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from annuaire.models import Division, Guardianship, Membership, Profile, TeachingAssignment, User
from schools.models import School


def memberships_by_school(user: Any) -> dict[int, set[str]]:
    """The user's active profiles per school id; one query, kept on the user object."""
    cached = getattr(user, "_ent_memberships", None)
    if cached is None:
        cached = defaultdict(set)
        if user.is_authenticated:
            # Cross-school by nature: a person's own memberships across every school.
            rows = Membership.unscoped.filter(user=user, active=True).values_list("school_id", "profile")
            for school_id, profile in rows:
                cached[school_id].add(profile)
        user._ent_memberships = cached
    return cached


def user_schools(user: Any) -> list[School]:
    """The schools where the user has an active membership, by name."""
    cached = getattr(user, "_ent_schools", None)
    if cached is None:
        ids = list(memberships_by_school(user))
        cached = list(School.objects.filter(pk__in=ids).order_by("name")) if ids else []
        user._ent_schools = cached
    return cached


def forget_cached_rights(user: Any) -> None:
    """Drop what this user object remembers of its memberships and delegations."""
    for attr in ("_ent_memberships", "_ent_schools", "_ent_delegations"):
        if hasattr(user, attr):
            delattr(user, attr)


def profiles_in(user: Any, school: School) -> set[str]:
    return memberships_by_school(user).get(school.pk, set())


def visible_students(user: Any, school: School) -> QuerySet[Membership]:
    """The student memberships of `school` this user may see (the one policy for lists and objects)."""
    base = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True)
    profiles = profiles_in(user, school)
    if profiles & {Profile.DIRECTION, Profile.STAFF}:
        return base
    condition = Q(pk__in=[])
    if Profile.TEACHER in profiles:
        assignments = TeachingAssignment.objects.filter(school=school, teacher=user)
        condition |= Q(division__in=assignments.exclude(division=None).values("division"))
        condition |= Q(groups__in=assignments.exclude(group=None).values("group"))
    if Profile.PARENT in profiles:
        children = Guardianship.objects.filter(school=school, guardian=user).values("student")
        condition |= Q(user__in=children)
    if Profile.STUDENT in profiles:
        condition |= Q(user=user)
    return base.filter(condition).distinct()


def children_by_school(user: Any) -> list[tuple[School, list[User]]]:
    """A parent's children grouped by school, across every school (the personal home)."""
    links = (
        Guardianship.unscoped.filter(guardian=user, legal_representative=True, school__in=list(memberships_by_school(user)))
        .select_related("student", "school")
        .order_by("school__name", "student__first_name")
    )
    grouped: dict[School, list[User]] = {}
    for link in links:
        grouped.setdefault(link.school, []).append(link.student)
    return list(grouped.items())


def visible_divisions(user: Any, school: School) -> QuerySet[Division]:
    """The divisions this user may open: all for staff, their own for the others."""
    base = Division.objects.filter(school=school)
    profiles = profiles_in(user, school)
    if profiles & {Profile.DIRECTION, Profile.STAFF}:
        return base
    condition = Q(pk__in=[])
    if Profile.TEACHER in profiles:
        assignments = TeachingAssignment.objects.filter(school=school, teacher=user)
        condition |= Q(pk__in=assignments.exclude(division=None).values("division"))
        condition |= Q(groups__in=assignments.exclude(group=None).values("group"))
    if profiles & {Profile.PARENT, Profile.STUDENT}:
        condition |= Q(pk__in=visible_students(user, school).values("division"))
    return base.filter(condition).distinct()


def access_division(user: Any, school: School, division_id: int) -> Division:
    """One division for this user, or 404 whether it is absent, foreign or forbidden."""
    division = visible_divisions(user, school).select_related("mef").filter(pk=division_id).first()
    if division is None:
        raise Http404(_("Cette classe n'existe pas ou vous n'y avez pas accès."))
    return division


def division_members(user: Any, division: Division) -> dict[str, Any]:
    """The students of a division this user may see, and its teachers with their subjects."""
    students = visible_students(user, division.school).filter(division=division).select_related("user")
    assignments = (
        TeachingAssignment.objects.filter(school=division.school, division=division)
        .select_related("teacher", "subject")
        .order_by("subject__name")
    )
    return {"students": list(students), "assignments": list(assignments)}
