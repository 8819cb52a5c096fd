"""Reads of the activation letters page: who is pending in each division, who gets a letter.

Callers run inside the school's scope. The write they serve is `annuaire.services.letters`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from annuaire.models import Division, Guardianship, Membership, Profile, User
from annuaire.oversight import ProfileFigures, activation_by_profile, profile_figures
from annuaire.selectors import profiles_in
from schools import permissions as school_perms
from schools.access import not_found
from schools.models import School

# People who get their letter from the "Personnels" batch rather than a division's.
STAFF_PROFILES = (Profile.TEACHER, Profile.STAFF, Profile.DIRECTION)
_MAX_ID = 2**63 - 1  # larger ids are forged: answer 404 rather than overflow the database


def _pending() -> Q:
    """An active member whose account is open and not activated yet (relative to Membership)."""
    return Q(active=True, user__is_active=True, user__activated_at__isnull=True)


@dataclass
class DivisionLetters:
    """One division on the letters page: how many of its people still need a letter."""

    division: Division
    students: int
    pending_students: int
    pending_parents: int = 0


@dataclass
class LettersOverview:
    divisions: list[DivisionLetters]
    pending_staff: int
    students_without_division: int
    profiles: list[ProfileFigures] = field(default_factory=list)


def _staff_memberships(school: School, viewer: Any) -> Any:
    """Active staff memberships a viewer may print: not their own, a head's only for a head."""
    staff = Membership.objects.filter(school=school, profile__in=STAFF_PROFILES, active=True).exclude(user=viewer)
    if Profile.DIRECTION not in profiles_in(viewer, school):
        heads = Membership.objects.filter(school=school, profile=Profile.DIRECTION).values("user")
        staff = staff.exclude(user__in=heads)
    return staff


def letters_overview(school: School, viewer: Any) -> LettersOverview:
    """Per division, its students and the not-yet-activated students and parents; the staff;
    the activation rate per profile. Six queries whatever the size of the school."""
    students = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True)
    per_division = {
        row["division"]: row
        for row in students.order_by()
        .values("division")
        .annotate(students=Count("id"), pending=Count("id", filter=_pending()))
    }
    without_division = per_division.pop(None, {}).get("students", 0)
    pending_parents = Membership.objects.filter(_pending(), school=school, profile=Profile.PARENT).values("user")
    child_division = students.filter(user=OuterRef("student")).values("division")[:1]
    parents_per_division = {
        row["division"]: row["parents"]
        for row in Guardianship.objects.filter(school=school, legal_representative=True, guardian__in=pending_parents)
        .annotate(division=Subquery(child_division))
        .order_by()
        .values("division")
        .annotate(parents=Count("guardian", distinct=True))
    }
    divisions = [
        DivisionLetters(
            division=division,
            students=per_division[division.pk]["students"],
            pending_students=per_division[division.pk]["pending"],
            pending_parents=parents_per_division.get(division.pk, 0),
        )
        for division in Division.objects.filter(school=school, pk__in=list(per_division)).order_by("name", "pk")
    ]
    pending_staff = _staff_memberships(school, viewer).filter(_pending()).values("user").distinct().count()
    profiles = profile_figures(activation_by_profile(school))
    return LettersOverview(divisions, pending_staff, without_division, profiles)


def access_letter_division(user: Any, school: School, division_id: int) -> Division:
    """A division of `school` whose letters this user may print, or 404 (absent, foreign, forged, forbidden)."""
    if 0 < division_id <= _MAX_ID and user.has_perm(school_perms.MANAGE_ACCOUNTS, school):
        division = Division.objects.filter(school=school, pk=division_id).first()
        if division is not None:
            return division
    not_found(_("Cette classe n'existe pas dans cet établissement."))


@dataclass
class LetterRecipient:
    """Who a letter goes to, and what the printed letter says of them."""

    membership: Membership
    division: Division | None = None
    children: list[User] = field(default_factory=list)  # a parent's children in the division

    @property
    def user(self) -> User:
        return self.membership.user


def division_recipients(school: School, division: Division) -> list[LetterRecipient]:
    """The division's active students, each followed by their legal guardians (active parents
    of the school), so a pupil's letters and their family's come out together. Three queries."""
    students = list(
        Membership.objects.filter(school=school, division=division, profile=Profile.STUDENT, active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    links = list(
        Guardianship.objects.filter(
            school=school, legal_representative=True, student__in=[m.user_id for m in students]
        ).values_list("student_id", "guardian_id")
    )
    parents = {
        m.user_id: m
        for m in Membership.objects.filter(
            school=school, profile=Profile.PARENT, active=True, user__in={guardian for _s, guardian in links}
        ).select_related("user")
    }
    guardians_of: dict[int, list[Membership]] = {}
    for student_id, guardian_id in links:
        if guardian_id in parents:
            guardians_of.setdefault(student_id, []).append(parents[guardian_id])
    recipients: list[LetterRecipient] = []
    parent_recipients: dict[int, LetterRecipient] = {}
    for student in students:
        recipients.append(LetterRecipient(membership=student, division=division))
        for parent in sorted(guardians_of.get(student.user_id, []), key=lambda m: (m.user.last_name, m.user.pk)):
            if parent.user_id not in parent_recipients:
                parent_recipients[parent.user_id] = LetterRecipient(membership=parent, division=division)
                recipients.append(parent_recipients[parent.user_id])
            parent_recipients[parent.user_id].children.append(student.user)
    return recipients


def staff_recipients(school: School, viewer: Any) -> list[LetterRecipient]:
    """Teachers and staff (and, for a head, the direction), one per person, by name. One query."""
    memberships = (
        _staff_memberships(school, viewer)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id", "profile")
    )
    by_user: dict[int, LetterRecipient] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, LetterRecipient(membership=membership))
    return list(by_user.values())
