"""The safe defaults of the communication policy, each with the rule that says why, and the head's matrix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annuaire.models import Profile
from communication.messaging.policy import DEFAULT_LIMITS, DEFAULT_REACH, load_policy
from communication.messaging.recipients import available_groups
from communication.messaging.services.moderation import set_policy
from communication.models import ModerationEvent, PolicyRule, Reach
from schools.tenancy import school_scope
from tests.communication.conftest import client_of, send, why
from tests.factories import MembershipFactory, TeachingAssignmentFactory, UserFactory
from tests.world import SchoolCast, World

pytestmark = pytest.mark.django_db


def other_teacher(cast: SchoolCast) -> object:
    """A teacher of the other division only."""
    teacher = UserFactory(first_name="Paul", last_name="Ailleurs")
    MembershipFactory(school=cast.school, user=teacher, profile=Profile.TEACHER)
    TeachingAssignmentFactory(school=cast.school, teacher=teacher, subject=cast.subject, division=cast.other_division)
    return teacher


def allow_classmates(cast: SchoolCast) -> None:
    reach = dict(DEFAULT_REACH)
    reach[(Profile.STUDENT, Profile.STUDENT)] = Reach.DIVISION
    with school_scope(cast.school):
        set_policy(
            school=cast.school,
            by=cast.direction,
            reach=reach,
            limits=dict(DEFAULT_LIMITS),
            parents_read_young_children=False,
        )


def test_students_write_to_the_teachers_and_vie_scolaire_of_their_division(world: World) -> None:
    a = world.a
    allowed = why(a, a.student, a.teacher)
    assert allowed.allowed and "« Élève → Enseignant »" in allowed.reason
    assert why(a, a.student, a.staff).allowed  # the CPE: the vie scolaire office
    refused = why(a, a.student, other_teacher(a))
    assert not refused.allowed
    assert "« Élève → Enseignant »" in refused.reason and "que dans la division" in refused.reason


def test_students_write_to_classmates_only_if_the_school_allows_it(world: World) -> None:
    a = world.a
    refused = why(a, a.student, a.classmate)
    assert not refused.allowed and "« Élève → Élève »" in refused.reason and "à personne" in refused.reason
    allow_classmates(a)
    assert why(a, a.student, a.classmate).allowed
    # Classmates, not the whole school: a student of another division stays out of reach.
    assert not why(a, a.student, a.other_student).allowed


def test_students_write_neither_to_parents_nor_to_the_direction_by_default(world: World) -> None:
    a = world.a
    assert "« Élève → Responsable légal »" in why(a, a.student, a.parent).reason
    assert "« Élève → Direction »" in why(a, a.student, a.direction).reason


def test_parents_write_to_their_childs_teachers_the_vie_scolaire_and_the_direction(world: World) -> None:
    a = world.a
    assert why(a, a.parent, a.teacher).allowed
    assert why(a, a.parent, a.staff).allowed
    assert why(a, a.parent, a.direction).allowed
    refused = why(a, a.parent, other_teacher(a))
    assert not refused.allowed and "« Responsable légal → Enseignant »" in refused.reason


def test_parents_do_not_write_to_other_families(world: World) -> None:
    a = world.a
    other_parent = UserFactory()
    MembershipFactory(school=a.school, user=other_parent, profile=Profile.PARENT)
    assert "« Responsable légal → Responsable légal »" in why(a, a.parent, other_parent).reason
    assert "« Responsable légal → Élève »" in why(a, a.parent, a.classmate).reason


def test_a_secretary_who_is_not_vie_scolaire_is_out_of_a_parents_reach(world: World) -> None:
    a = world.a
    secretary = UserFactory()
    MembershipFactory(school=a.school, user=secretary, profile=Profile.STAFF, functions=["SECRETARIAT"])
    assert not why(a, a.parent, secretary).allowed


@pytest.mark.parametrize("role", ["teacher", "staff", "direction"])
def test_the_school_team_writes_to_everyone_of_the_school(world: World, role: str) -> None:
    a = world.a
    sender = getattr(a, role)
    for recipient in (a.student, a.other_student, a.parent, a.direction if role != "direction" else a.teacher):
        verdict = why(a, sender, recipient)
        assert verdict.allowed and "tout l'établissement" in verdict.reason


def test_nobody_of_another_school_is_addressable(world: World) -> None:
    verdict = why(world.a, world.a.teacher, world.b.parent)
    assert not verdict.allowed and "pas de compte actif" in verdict.reason


def test_only_the_direction_addresses_a_whole_profile_of_the_school(world: World) -> None:
    a = world.a
    with school_scope(a.school):
        policy = load_policy(a.school)
        teacher_groups = {group.key for group in available_groups(a.teacher, a.school, policy)}
        head_groups = {group.key for group in available_groups(a.direction, a.school, policy)}
    assert f"division_parents:{a.division.pk}" in teacher_groups
    assert "all:parent" not in teacher_groups
    assert {"all:parent", "all:student", "all:teacher"} <= head_groups
    with pytest.raises(ValidationError, match="ce groupe"):
        send(a, a.teacher, ["all:parent"])


def test_a_parents_groups_are_their_childs_teachers_the_vie_scolaire_and_the_direction(world: World) -> None:
    a = world.a
    with school_scope(a.school):
        groups = {group.key for group in available_groups(a.parent, a.school, load_policy(a.school))}
    assert groups == {"direction", "vie_scolaire", f"child_teachers:{a.student.pk}"}


def test_the_head_edits_the_matrix_and_the_change_is_logged(world: World) -> None:
    a = world.a
    page = client_of(a.direction).get(f"/{a.school.uai}/messagerie/regles/")
    assert page.status_code == 200
    assert "<caption>" in page.content.decode()
    data = {f"reach_{s}_{r}": DEFAULT_REACH[(s, r)] for (s, r) in DEFAULT_REACH}
    data["reach_student_student"] = Reach.DIVISION
    for profile, limits in DEFAULT_LIMITS.items():
        data[f"max_recipients_{profile}"] = limits.max_recipients
        data[f"max_per_minute_{profile}"] = limits.max_per_minute
    response = client_of(a.direction).post(f"/{a.school.uai}/messagerie/regles/", data)
    assert response.status_code == 302
    with school_scope(a.school):
        assert list(PolicyRule.objects.values_list("sender_profile", "recipient_profile", "reach")) == [
            ("student", "student", "division")
        ]
        assert ModerationEvent.objects.filter(kind=ModerationEvent.Kind.POLICY, actor=a.direction).exists()
    assert why(a, a.student, a.classmate).allowed


def test_the_rules_page_is_the_heads(world: World) -> None:
    assert client_of(world.a.teacher).get(f"/{world.a.school.uai}/messagerie/regles/").status_code == 403
