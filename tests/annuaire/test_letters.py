"""Activation letters' codes, issued in bulk per division: working codes, replaced by a new print, the recipients."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.shortcuts import assign_perm

from annuaire.models import ActivationCode, Membership, Profile, User
from annuaire.selectors.letters import division_recipients, staff_recipients
from annuaire.services.activation import CODE_HASH_ALGORITHM, find_valid_code, issue_activation_code
from annuaire.services.letters import issue_letters
from schools.tenancy import school_scope
from tests.annuaire.letters_support import activate, memberships, pending_codes
from tests.budgets import max_queries
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_bulk_issue_skips_activated_accounts_and_issues_working_codes(world: World):
    cast = world.a
    activate(cast.classmate)
    kept = issue_activation_code(user=cast.classmate)  # e.g. a letter printed after activation
    with school_scope(cast.school):
        batch = issue_letters(
            school=cast.school,
            memberships=memberships(cast, cast.student, cast.classmate, cast.parent, cast.student),
            issued_by=cast.direction,
        )
    assert [letter.user.pk for letter in batch] == [cast.student.pk, cast.parent.pk]
    assert batch.skipped == 1 and batch.inactive == 0 and batch.reserved == 0
    for letter in batch:
        assert letter.school == cast.school
        assert letter.expires_at > timezone.now()
        stored = ActivationCode.objects.get(user=letter.user, used_at=None)
        assert stored.code_hash.startswith(f"{CODE_HASH_ALGORITHM}$")
        assert letter.code not in stored.code_hash and letter.code.replace("-", "") not in stored.code_hash
        assert find_valid_code(user=letter.user, code=letter.code) == stored
        assert find_valid_code(user=letter.user, code=letter.code.lower().replace("-", " ")) == stored
    # The activated account was not reset: its own code still works, no new one.
    assert ActivationCode.objects.filter(user=cast.classmate).count() == 1
    assert find_valid_code(user=cast.classmate, code=kept) is not None


def test_a_new_print_replaces_the_codes_of_the_previous_one(world: World):
    cast = world.a
    with school_scope(cast.school):
        first = issue_letters(school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction)
        second = issue_letters(
            school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction
        )
    assert pending_codes(cast.student) == 1
    assert find_valid_code(user=cast.student, code=second[0].code) is not None
    assert first[0].code == second[0].code or find_valid_code(user=cast.student, code=first[0].code) is None


def test_wrong_codes_count_as_failed_attempts(world: World):
    cast = world.a
    with school_scope(cast.school):
        (letter,) = issue_letters(
            school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction
        )
    for _attempt in range(5):
        assert find_valid_code(user=cast.student, code="AAAAA-AAAAA") is None
    assert find_valid_code(user=cast.student, code=letter.code) is None  # locked after 5 failures


def test_codes_hashed_with_the_password_hasher_still_work(world: World):
    """Codes issued before the fast hash (Django password hashes) stay valid until they expire."""
    user = world.a.student
    ActivationCode.objects.create(
        user=user, code_hash=make_password("ABCDE-FGHJK"), expires_at=timezone.now() + timezone.timedelta(days=3)
    )
    assert find_valid_code(user=user, code="abcde fghjk") is not None
    assert find_valid_code(user=user, code="ABCDE-FGHJM") is None


def test_inactive_and_foreign_memberships(world: World):
    cast = world.a
    Membership.unscoped.filter(school=cast.school, user=cast.classmate).update(active=False)
    User.objects.filter(pk=cast.other_student.pk).update(is_active=False)
    with school_scope(cast.school):
        batch = issue_letters(
            school=cast.school,
            memberships=memberships(cast, cast.classmate, cast.other_student, cast.student),
            issued_by=cast.direction,
        )
        assert [letter.user for letter in batch] == [cast.student]
        assert batch.inactive == 2
        foreign = memberships(world.b, world.b.student)
        with pytest.raises(ValidationError, match="n'appartient pas"):
            issue_letters(
                school=cast.school, memberships=[*memberships(cast, cast.parent), *foreign], issued_by=cast.direction
            )
    assert pending_codes(cast.classmate, cast.other_student, cast.parent, world.b.student) == 0


def test_a_delegate_prints_no_letter_for_the_direction(world: World):
    cast = world.a
    assign_perm("schools.manage_accounts", cast.staff, cast.school)
    deputy = UserFactory(username="adjoint.a")
    MembershipFactory(school=cast.school, user=deputy, profile=Profile.DIRECTION)
    with school_scope(cast.school):
        assert {r.user for r in staff_recipients(cast.school, cast.staff)} == {cast.teacher}
        assert {r.user for r in staff_recipients(cast.school, cast.direction)} == {cast.teacher, cast.staff, deputy}
        batch = issue_letters(
            school=cast.school, memberships=memberships(cast, deputy, cast.teacher), issued_by=cast.staff
        )
    assert [letter.user for letter in batch] == [cast.teacher]
    assert batch.reserved == 1
    assert pending_codes(deputy) == 0


def test_division_recipients_are_students_each_followed_by_their_parents(world: World):
    cast = world.a
    second_parent = UserFactory(username="parent2.a", last_name="Zola")
    MembershipFactory(school=cast.school, user=second_parent, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=second_parent)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=cast.parent)  # siblings
    contact = UserFactory(username="voisin.a")
    MembershipFactory(school=cast.school, user=contact, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=contact, legal_representative=False)
    with school_scope(cast.school):
        recipients = division_recipients(cast.school, cast.division)
    users = [r.user for r in recipients]
    assert set(users) == {cast.student, cast.classmate, cast.parent, second_parent}
    assert len(users) == 4, "a parent of two pupils of the class gets one letter"
    for recipient in recipients:
        if recipient.membership.profile == Profile.PARENT:
            assert users.index(recipient.user) > min(users.index(child) for child in recipient.children)
    parent = next(r for r in recipients if r.user == cast.parent)
    assert set(parent.children) == {cast.student, cast.classmate}


def test_issuing_700_letters_codes_is_fast(world: World):
    cast = world.a
    users = User.objects.bulk_create(
        [
            User(username=f"masse.{n}", first_name=f"Prénom{n}", last_name=f"Nom{n:04d}", password="!")
            for n in range(700)
        ]
    )
    members = Membership.unscoped.bulk_create(
        [Membership(school=cast.school, user=user, profile=Profile.STUDENT, division=cast.division) for user in users]
    )
    with school_scope(cast.school):
        started = time.perf_counter()
        # Savepoints included; on SQLite the insert goes in batches (its bound-parameter limit).
        with max_queries(14):
            batch = issue_letters(school=cast.school, memberships=members, issued_by=cast.direction)
        elapsed = time.perf_counter() - started
    assert len(batch) == 700
    assert elapsed < 5, f"700 codes took {elapsed:.1f} s"
    assert ActivationCode.objects.filter(user__in=users, used_at=None).count() == 700
    assert find_valid_code(user=batch[-1].user, code=batch[-1].code) is not None
