"""Recipients as the compose form names them: a person (`user:12`) or a group the sender may address
(`division_parents:3`, `division_students:3`, `division_teachers:3`, `group_students:7`, `child_teachers:42`,
`direction`, `vie_scolaire`, `all:parent`).

A group is only offered when the policy lets the sender reach some of its people, and it is always
expanded through `policy.addressable`: a forged key can reach nobody the policy does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from annuaire.models import Guardianship, Membership, Profile, TeachingAssignment, TeachingGroup, User
from annuaire.selectors import children_in_school, profiles_in
from communication.messaging.models import Reach
from communication.messaging.permissions import ADDRESS_WHOLE_SCHOOL
from communication.messaging.policy import (
    PROFILES,
    Policy,
    addressable,
    division_choices,
    explain,
    vie_scolaire_condition,
)
from schools.models import School

P = Profile
_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Group:
    key: str
    label: str


@dataclass(frozen=True)
class Resolved:
    """What a sending reaches: the people, and whether a group was used (then every copy is separate)."""

    users: list[User]
    used_group: bool


def _reaches(policy: Policy, profiles: set[str], recipient_profile: str) -> bool:
    return any(policy.reach_of(profile, recipient_profile) != Reach.NOBODY for profile in profiles)


def available_groups(user: Any, school: School, policy: Policy) -> list[Group]:
    """The groups this user may address, by kind then name."""
    profiles = profiles_in(user, school)
    groups: list[Group] = []
    if _reaches(policy, profiles, P.DIRECTION):
        groups.append(Group("direction", _("La direction")))
    if _reaches(policy, profiles, P.STAFF):
        groups.append(Group("vie_scolaire", _("La vie scolaire")))
    if P.PARENT in profiles and _reaches(policy, profiles, P.TEACHER):
        for child in children_in_school(user, school):
            groups.append(
                Group(f"child_teachers:{child.pk}", _("Les enseignants de %(name)s") % {"name": child.first_name})
            )
    if profiles & {P.TEACHER, P.STAFF, P.DIRECTION}:
        groups += _division_groups(user, school, policy, profiles)
    if user.has_perm(ADDRESS_WHOLE_SCHOOL, school):
        labels = {
            P.STUDENT: _("Tous les élèves de l'établissement"),
            P.PARENT: _("Tous les parents de l'établissement"),
            P.TEACHER: _("Tous les enseignants de l'établissement"),
            P.STAFF: _("Tous les personnels de l'établissement"),
        }
        groups += [Group(f"all:{profile}", label) for profile, label in labels.items()]
    return groups


def _division_groups(user: Any, school: School, policy: Policy, profiles: set[str]) -> list[Group]:
    groups = []
    for division in division_choices(user, school):
        if _reaches(policy, profiles, P.STUDENT):
            groups.append(
                Group(f"division_students:{division.pk}", _("Les élèves de %(name)s") % {"name": division.name})
            )
        if _reaches(policy, profiles, P.PARENT):
            groups.append(
                Group(f"division_parents:{division.pk}", _("Les parents de %(name)s") % {"name": division.name})
            )
        if _reaches(policy, profiles, P.TEACHER):
            groups.append(
                Group(f"division_teachers:{division.pk}", _("Les enseignants de %(name)s") % {"name": division.name})
            )
    if P.TEACHER in profiles and _reaches(policy, profiles, P.STUDENT):
        taught = TeachingAssignment.objects.filter(school=school, teacher=user).exclude(group=None).values("group")
        for group in TeachingGroup.objects.filter(school=school, pk__in=taught).order_by("name"):
            groups.append(
                Group(f"group_students:{group.pk}", _("Les élèves du groupe %(name)s") % {"name": group.name})
            )
    return groups


def _group_condition(key: str, school: School) -> Q | None:
    """The memberships a group key names, before the policy filters them (None: unknown key)."""
    kind, _colon, raw = key.partition(":")
    if kind == "direction":
        return Q(profile=P.DIRECTION)
    if kind == "vie_scolaire":
        return vie_scolaire_condition()
    if kind == "all" and raw in PROFILES:
        return Q(profile=raw)
    if not raw.isdigit() or int(raw) > _MAX_ID:
        return None
    pk = int(raw)
    students_of_division = Membership.objects.filter(school=school, profile=P.STUDENT, division_id=pk)
    if kind == "division_students":
        return Q(profile=P.STUDENT, division_id=pk)
    if kind == "division_parents":
        guardians = Guardianship.objects.filter(school=school, student__in=students_of_division.values("user"))
        return Q(profile=P.PARENT, user__in=guardians.values("guardian"))
    if kind == "division_teachers":
        return Q(
            profile=P.TEACHER,
            user__in=TeachingAssignment.objects.filter(school=school, division_id=pk).values("teacher"),
        )
    if kind == "group_students":
        return Q(profile=P.STUDENT, groups=pk)
    if kind == "child_teachers":
        child = Membership.objects.filter(school=school, profile=P.STUDENT, user_id=pk)
        assignments = TeachingAssignment.objects.filter(school=school).filter(
            Q(division__in=child.values("division")) | Q(group__in=child.values("groups"))
        )
        return Q(profile=P.TEACHER, user__in=assignments.values("teacher"))
    return None


def resolve(user: Any, school: School, policy: Policy, keys: list[str]) -> Resolved:
    """The people the chosen keys name, all addressable, or a French `ValidationError` naming the refusals."""
    allowed_groups = {group.key for group in available_groups(user, school, policy)}
    people: set[int] = set()
    conditions = Q(pk__in=[])
    used_group = False
    for key in dict.fromkeys(keys):
        kind, _colon, raw = key.partition(":")
        if kind == "user":
            if not raw.isdigit() or int(raw) > _MAX_ID:
                raise ValidationError(_("Destinataire inconnu."))
            people.add(int(raw))
            continue
        condition = _group_condition(key, school)
        if condition is None or key not in allowed_groups:
            raise ValidationError(_("Vous ne pouvez pas écrire à ce groupe."))
        conditions |= condition
        used_group = True
    reachable = addressable(user, school, policy)
    found = set(reachable.filter(Q(user__in=people) | conditions).values_list("user", flat=True))
    refused = people - found
    if refused:
        raise ValidationError(_refusals(user, school, policy, sorted(refused)))
    users = list(User.objects.filter(pk__in=found).order_by("last_name", "first_name", "pk"))
    return Resolved(users=users, used_group=used_group)


def _refusals(user: Any, school: School, policy: Policy, ids: list[int]) -> list[str]:
    """Why each refused person is out of reach; only the school's members are named (an id from
    another school is "unknown", as a made-up one)."""
    members = Membership.objects.filter(school=school).values("user")
    named = list(User.objects.filter(pk__in=ids[:5]).filter(pk__in=members))
    messages = [
        _("Vous ne pouvez pas écrire à %(name)s : %(why)s")
        % {"name": person.get_full_name(), "why": explain(user, school, person, policy).reason}
        for person in named
    ]
    if len(named) < len(ids):
        messages.append(_("Destinataire inconnu."))
    return messages


def school_people(school: School, ids: list[int]) -> list[User]:
    """The people among `ids` who belong to the school (to label chosen recipients, never anyone else)."""
    members = Membership.objects.filter(school=school).values("user")
    return list(User.objects.filter(pk__in=ids[:200]).filter(pk__in=members))


def search_people(user: Any, school: School, policy: Policy, text: str, *, limit: int = 15) -> list[tuple[User, bool]]:
    """People of the school matching a name, for the compose form: those the user may write to, and the school's
    team the user may not (so the form can say why); students and parents beyond reach are never listed."""
    terms = text.split()[:3]
    if not terms:
        return []
    users = User.objects.filter(is_active=True)
    for term in terms:
        users = users.filter(Q(last_name__icontains=term) | Q(first_name__icontains=term))
    reachable_ids = addressable(user, school, policy).values("user")
    team = Membership.objects.filter(school=school, active=True, profile__in=[P.TEACHER, P.STAFF, P.DIRECTION])
    found = list(
        users.filter(Q(pk__in=reachable_ids) | Q(pk__in=team.values("user")))
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    allowed = set(
        addressable(user, school, policy)
        .filter(user__in=[person.pk for person in found])
        .values_list("user", flat=True)
    )
    return [(person, person.pk in allowed) for person in found]
