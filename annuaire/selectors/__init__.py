"""Reads of the directory: memberships, relationships, account lists."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from annuaire.models import Division, Guardianship, Membership, PersonalToken, Profile, TeachingAssignment, User
from schools import permissions as school_perms
from schools.access import not_found
from schools.models import School
from schools.rows import school_rows
from schools.tenancy import cross_school, schools_scope


def memberships_by_school(user: Any) -> dict[int, set[str]]:
    """The user's active profiles per school id; one query, kept on the user object."""
    cached = getattr(user, "_ent_memberships", None)
    if cached is None:
        cached = defaultdict(set)
        if user.is_authenticated:
            # Cross-school by nature: a person's own memberships across every school.
            with cross_school():
                # Unordered: the default order by name would join the users for nothing.
                mine = Membership.unscoped.filter(user=user, active=True).order_by()
                rows = list(mine.values_list("school_id", "profile"))
            for school_id, profile in rows:
                cached[school_id].add(profile)
        user._ent_memberships = cached
    return cached


PERSON_IN_SCHOOL = """
    SELECT 'membership', CAST(m.school_id AS TEXT), m.profile, NULL, NULL
    FROM annuaire_membership m WHERE m.user_id = %(user)s AND m.active
    UNION ALL
    SELECT 'delegation', CAST(d.content_object_id AS TEXT), kind.app_label, right_.codename, NULL
    FROM schools_schooluserobjectpermission d
    JOIN auth_permission right_ ON right_.id = d.permission_id
    JOIN django_content_type kind ON kind.id = right_.content_type_id
    WHERE d.user_id = %(user)s
    UNION ALL
    SELECT 'service', s.module, s.state, s.external_url, NULL
    FROM schools_schoolservice s WHERE s.school_id = %(school)s"""


def read_person_in_school(user: Any, school: School) -> dict[str, tuple[str, str]]:
    """What every tenant page reads first, in one hand-written statement: the user's active memberships in
    every school and the rights delegated to them (kept on the user, where `memberships_by_school` and the
    permission backend read them), and the school's service states (returned, as `service_states` gives them).
    Cross-school by nature: a person's own rows in every school."""
    memberships: defaultdict[int, set[str]] = defaultdict(set)
    delegations: defaultdict[int, set[str]] = defaultdict(set)
    services: dict[str, tuple[str, str]] = {}
    with cross_school(), connection.cursor() as cursor:
        cursor.execute(PERSON_IN_SCHOOL, {"user": user.pk, "school": school.pk})
        rows = cursor.fetchall()
    for kind, key, first, second, _none in rows:
        if kind == "membership":
            memberships[int(key)].add(first)
        elif kind == "delegation":
            delegations[int(key)].add(school_perms.delegated_name(first, second))
        else:
            services[key] = (first, second or "")
    user._ent_memberships, user._ent_delegations = memberships, delegations
    return services


def user_schools(user: Any, current: School | None = None) -> list[School]:
    """The schools where the user has an active membership, by name. `current`: the school of the request,
    already read, which is the whole list of a person of one school (most of them): then no query."""
    cached = getattr(user, "_ent_schools", None)
    if cached is None:
        ids = list(memberships_by_school(user))
        if current is not None and ids == [current.pk]:
            cached = [current]
        else:
            cached = list(School.objects.filter(pk__in=ids).order_by("name")) if ids else []
        user._ent_schools = cached
    return cached


def forget_cached_rights(user: Any) -> None:
    """Drop what this user object remembers of its memberships and delegations."""
    for attr in ("_ent_memberships", "_ent_schools", "_ent_delegations"):
        if hasattr(user, attr):
            delattr(user, attr)


def profiles_in(user: Any, school: School | int) -> set[str]:
    """The user's profiles in a school, given as a row or by its id (an object's `school_id`, so that a
    rule asked about each lesson of a week loads no school)."""
    school_id = school if isinstance(school, int) else school.pk
    return memberships_by_school(user).get(school_id, set())


def _taught(user: Any, school: School) -> tuple[QuerySet[Any, dict[str, Any]], QuerySet[Any, dict[str, Any]]]:
    """Subqueries of the divisions and of the groups a teacher teaches in the school."""
    assignments = TeachingAssignment.objects.filter(school=school, teacher=user)
    return assignments.exclude(division=None).values("division"), assignments.exclude(group=None).values("group")


def _taught_condition(user: Any, school: School, profiles: set[str], *, division_field: str) -> Q:
    """What a teacher reaches through their teaching assignments (the divisions named by `division_field`, and
    the groups they teach); nothing for anyone else. The start of a `visible_*` condition."""
    condition = Q(pk__in=[])
    if Profile.TEACHER in profiles:
        divisions, groups = _taught(user, school)
        condition |= Q(**{f"{division_field}__in": divisions}) | Q(groups__in=groups)
    return condition


def visible_students(user: Any, school: School) -> QuerySet[Membership]:
    """The student memberships of `school` this user may see (the one policy for lists and objects)."""
    base = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True)
    profiles = profiles_in(user, school)
    if profiles & {Profile.DIRECTION, Profile.STAFF}:
        return base
    condition = _taught_condition(user, school, profiles, division_field="division")
    if Profile.PARENT in profiles:
        children = Guardianship.objects.filter(school=school, guardian=user).values("student")
        condition |= Q(user__in=children)
    if Profile.STUDENT in profiles:
        condition |= Q(user=user)
    return base.filter(condition).distinct()


def access_student(user: Any, school: School, student_id: int, *, message: str) -> Membership:
    """A student (by user id) this user may see, with their division, or 404 saying `message`."""
    found = visible_students(user, school).select_related("user", "division").filter(user_id=student_id).first()
    if found is None:
        not_found(message)
    return found


def children_by_school(user: Any) -> list[tuple[School, list[User]]]:
    """A parent's children grouped by school, across every school (the personal home)."""
    with schools_scope(list(memberships_by_school(user))):
        links = list(
            Guardianship.objects.filter(guardian=user, legal_representative=True)
            .select_related("student", "school")
            .order_by("school__name", "student__first_name")
        )
    grouped: dict[School, list[User]] = {}
    for link in links:
        grouped.setdefault(link.school, []).append(link.student)
    return list(grouped.items())


@dataclass(frozen=True)
class FollowedStudents:
    """The student memberships a person's school home reads: their own, and those of the children they are the
    legal representative of (active ones, with the user)."""

    own: Membership | None
    children: tuple[Membership, ...]

    @property
    def shown(self) -> tuple[Membership, ...]:
        """Whose day the home shows: one's own as a student, else one's children's, by first name."""
        return (self.own,) if self.own is not None else self.children

    @property
    def division_ids(self) -> list[int]:
        """The divisions of one's own membership and of one's children's."""
        everyone = (self.own, *self.children) if self.own is not None else self.children
        return sorted({m.division_id for m in everyone if m.division_id is not None})


FOLLOWED_STUDENTS = """
    SELECT m.id, m.user_id, m.division_id, u.first_name, u.last_name
    FROM annuaire_membership m
    JOIN annuaire_user u ON u.id = m.user_id
    WHERE m.school_id = %(school)s AND m.profile = %(student)s AND m.active
      AND m.user_id IN (
        SELECT %(user)s UNION ALL
        SELECT g.student_id FROM annuaire_guardianship g
        WHERE g.school_id = %(school)s AND g.guardian_id = %(user)s AND g.legal_representative)
    ORDER BY u.first_name, m.id"""
NAMES = ["id", "first_name", "last_name"]


def followed_students(user: Any, school: School) -> FollowedStudents:
    """One's own student membership in `school` and one's legal children's there, in one hand-written read
    (schools.rows: the ORM's `OR` of one's own id and the children's scanned the school's students); a page
    that reads them for several parts resolves them once and hands them on. The memberships carry their
    user's names; their other fields load if asked."""
    own = None
    others = []
    for pk, user_id, division_id, first_name, last_name in school_rows(
        FOLLOWED_STUDENTS, student=Profile.STUDENT.value, user=user.pk
    ):
        membership = Membership.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "school_id", "user_id", "profile", "active", "division_id"],
            [pk, school.pk, user_id, Profile.STUDENT.value, True, division_id],
        )
        if user_id == user.pk:
            membership.user, own = user, membership
        else:
            membership.user = User.from_db(DEFAULT_DB_ALIAS, NAMES, [user_id, first_name, last_name])
            others.append(membership)
    return FollowedStudents(own=own, children=tuple(others))


def children_in_school(user: Any, school: School) -> list[User]:
    """A parent's children in one school, by first name (empty for anyone else)."""
    if Profile.PARENT not in profiles_in(user, school):
        return []
    links = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True)
    return list(User.objects.filter(pk__in=links.values("student")).order_by("first_name", "last_name"))


def own_student_id(user: Any, school: School) -> int | None:
    """Whose page a module's home opens on: a student's own, a parent's first child's (a parent who is also
    staff or a teacher lands on the module's own home instead); None for everyone else."""
    profiles = profiles_in(user, school)
    if Profile.STUDENT in profiles:
        return int(user.pk)
    children = children_in_school(user, school)
    if children and not profiles & {Profile.TEACHER, Profile.STAFF, Profile.DIRECTION}:
        return int(children[0].pk)
    return None


def visible_divisions(user: Any, school: School) -> QuerySet[Division]:
    """The divisions this user may open: all for staff, their own for the others."""
    base = Division.objects.filter(school=school)
    profiles = profiles_in(user, school)
    if profiles & {Profile.DIRECTION, Profile.STAFF}:
        return base
    condition = _taught_condition(user, school, profiles, division_field="pk")
    if profiles & {Profile.PARENT, Profile.STUDENT}:
        condition |= Q(pk__in=visible_students(user, school).values("division"))
    return base.filter(condition).distinct()


def access_division(user: Any, school: School, division_id: int) -> Division:
    """One division for this user, or 404 whether it is absent, foreign or forbidden."""
    division = visible_divisions(user, school).select_related("mef").filter(pk=division_id).first()
    if division is None:
        not_found(_("Cette classe n'existe pas ou vous n'y avez pas accès."))
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


# --- Personal API tokens ----------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def user_tokens(*, user: User) -> QuerySet[PersonalToken]:
    """The user's own tokens, newest first (revoked ones included)."""
    return PersonalToken.objects.filter(user=user).order_by("-created_at", "-pk")


def find_token(*, key: str) -> PersonalToken | None:
    """The token whose key is `key` (revoked or not), with its user; None when unknown."""
    if not key or len(key) > 200:
        return None
    return PersonalToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
