"""The heads' accounts page: search, filters, deactivate, reactivate, new activation letter."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from annuaire.models import ActivationCode, Membership, Profile, User
from annuaire.selectors.admin import AccountState, access_account, account_rows, school_accounts
from annuaire.services.accounts import deactivate_account, reactivate_account, reset_password
from annuaire.services.activation import find_valid_code
from schools import permissions as school_perms
from schools.tenancy import school_scope
from tests.budgets import max_queries
from tests.factories import DEMO_PASSWORD, DivisionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def accounts_url(cast, **query) -> str:
    url = reverse("annuaire_admin:accounts", kwargs={"uai": cast.school.uai})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def action_url(name: str, school, membership: Membership) -> str:
    return reverse(f"annuaire_admin:{name}", kwargs={"uai": school.uai, "membership_id": membership.pk})


def membership_of(user: User, school) -> Membership:
    return Membership.unscoped.get(user=user, school=school)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def listed_usernames(response) -> set[str]:
    return {row.user.username for row in response.context["rows"]}


@pytest.fixture
def head(client, world) -> Client:
    client.force_login(world.a.direction)
    return client


# --- the list --------------------------------------------------------------------------


def test_head_sees_every_account_with_identifier_profile_division_and_state(head, world):
    response = head.get(accounts_url(world.a))
    assert response.status_code == 200
    html = response.content.decode()
    assert listed_usernames(response) == {
        "direction.a",
        "cpe.a",
        "prof.a",
        "eleve.a",
        "camarade.a",
        "autre.a",
        "parent.a",
    }
    assert world.a.student.get_full_name() in html
    assert "eleve.a" in html
    assert "Élève" in html and "Responsable légal" in html and "Enseignant" in html
    assert world.a.division.name in html
    assert "Pas encore activé" in html  # the factories' accounts were never activated
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert '<label for="id_q"' in html
    # Nobody of school B is listed.
    assert "eleve.b" not in html


def test_a_person_with_two_profiles_is_one_row(head, world):
    MembershipFactory(school=world.a.school, user=world.a.teacher, profile=Profile.PARENT)
    response = head.get(accounts_url(world.a, q="prof.a"))
    [row] = response.context["rows"]
    assert sorted(row.profiles) == ["Enseignant", "Responsable légal"]


def test_search_by_identifier_and_by_name(head, world):
    assert listed_usernames(head.get(accounts_url(world.a, q="eleve.a"))) == {"eleve.a"}
    User.objects.filter(pk=world.a.teacher.pk).update(last_name="Zyzzyva", first_name="Hortense")
    assert listed_usernames(head.get(accounts_url(world.a, q="zyzz"))) == {"prof.a"}
    # Several words: each must match (first name and last name together).
    assert listed_usernames(head.get(accounts_url(world.a, q="Hortense+ZYZZYVA"))) == {"prof.a"}
    assert listed_usernames(head.get(accounts_url(world.a, q="personne-de-ce-nom"))) == set()


def test_filter_by_profile_and_division(head, world):
    assert listed_usernames(head.get(accounts_url(world.a, profile="teacher"))) == {"prof.a"}
    assert listed_usernames(head.get(accounts_url(world.a, profile="student"))) == {"eleve.a", "camarade.a", "autre.a"}
    assert listed_usernames(head.get(accounts_url(world.a, division=world.a.division.pk))) == {"eleve.a", "camarade.a"}
    both = accounts_url(world.a, profile="student", division=world.a.other_division.pk)
    assert listed_usernames(head.get(both)) == {"autre.a"}


def test_filter_by_state(head, world):
    User.objects.filter(pk=world.a.teacher.pk).update(activated_at=timezone.now())
    with school_scope(world.a.school):
        deactivate_account(membership=membership_of(world.a.parent, world.a.school), deactivated_by=world.a.direction)
    assert listed_usernames(head.get(accounts_url(world.a, state="active"))) == {"prof.a"}
    assert listed_usernames(head.get(accounts_url(world.a, state="deactivated"))) == {"parent.a"}
    pending = listed_usernames(head.get(accounts_url(world.a, state="pending")))
    assert pending == {"direction.a", "cpe.a", "eleve.a", "camarade.a", "autre.a"}


def test_a_bad_filter_is_reported_in_french_and_ignored(head, world):
    # A division of school B is no choice on school A's page.
    response = head.get(accounts_url(world.a, division=world.b.division.pk, profile="teacher"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette classe n&#x27;existe pas dans l&#x27;établissement." in html
    assert "n’est pas valable" in html
    assert listed_usernames(response) == {"prof.a"}  # the valid filter still applies
    response = head.get(accounts_url(world.a, state="nimporte", page="abc"))
    assert response.status_code == 200
    assert "Cet état n&#x27;existe pas." in response.content.decode()


def test_pagination_by_fifty(head, world):
    add_students(world.a, 60)
    first = head.get(accounts_url(world.a, profile="student"))
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 63
    html = first.content.decode()
    assert "page=2" in html and "profile=student" in html  # the next page keeps the filters
    second = head.get(accounts_url(world.a, profile="student", page=2))
    assert len(second.context["rows"]) == 13
    assert not listed_usernames(first) & listed_usernames(second)


@pytest.mark.parametrize("role", ["staff", "teacher", "student", "parent"])
def test_other_roles_are_refused(client, world, role):
    client.force_login(world.a.users_by_role[role])
    assert client.get(accounts_url(world.a)).status_code == 403
    target = membership_of(world.a.classmate, world.a.school)
    assert client.post(action_url("account_deactivate", world.a.school, target)).status_code == 403
    assert client.post(action_url("account_password_reset", world.a.school, target)).status_code == 403
    assert membership_of(world.a.classmate, world.a.school).active


def test_city_admin_manages_accounts(client, world):
    client.force_login(world.city_admin)
    assert client.get(accounts_url(world.b)).status_code == 200
    target = membership_of(world.b.teacher, world.b.school)
    client.post(action_url("account_deactivate", world.b.school, target))
    assert not membership_of(world.b.teacher, world.b.school).active


# --- deactivate / reactivate -----------------------------------------------------------


def test_deactivate_then_reactivate_round_trip(head, world):
    school = world.a.school
    target = membership_of(world.a.teacher, school)
    assert fresh(world.a.teacher).has_perm(school_perms.ACCESS_SCHOOL, school)

    response = head.post(action_url("account_deactivate", school, target), {"query": "profile=teacher"}, follow=True)
    assert response.redirect_chain[-1][0] == accounts_url(world.a, profile="teacher")
    assert "est désactivé dans l’établissement" in response.content.decode().replace("&#x27;", "’")
    target.refresh_from_db()
    assert not target.active and target.ended_at is not None
    teacher = fresh(world.a.teacher)
    assert not teacher.is_active  # no active membership left anywhere
    assert not teacher.has_perm(school_perms.ACCESS_SCHOOL, school)
    teacher_client = Client()
    assert not teacher_client.login(username="prof.a", password=DEMO_PASSWORD)

    response = head.post(action_url("account_reactivate", school, target), follow=True)
    assert "est réactivé" in response.content.decode()
    target.refresh_from_db()
    assert target.active and target.ended_at is None
    teacher = fresh(world.a.teacher)
    assert teacher.is_active
    assert teacher.has_perm(school_perms.ACCESS_SCHOOL, school)


def test_deactivation_keeps_the_account_of_someone_who_belongs_elsewhere(head, world):
    # A teacher shared by two collèges: deactivated in A, still at work in B.
    MembershipFactory(school=world.b.school, user=world.a.teacher, profile=Profile.TEACHER)
    head.post(action_url("account_deactivate", world.a.school, membership_of(world.a.teacher, world.a.school)))
    teacher = fresh(world.a.teacher)
    assert teacher.is_active
    assert not teacher.has_perm(school_perms.ACCESS_SCHOOL, world.a.school)
    assert teacher.has_perm(school_perms.ACCESS_SCHOOL, world.b.school)


def test_deactivated_person_is_turned_away_at_the_school_door(client, world):
    with school_scope(world.a.school):
        deactivate_account(membership=membership_of(world.a.parent, world.a.school), deactivated_by=world.a.direction)
    client.force_login(fresh(world.a.parent))
    response = client.get(reverse("school_home", kwargs={"uai": world.a.school.uai}))
    assert response.status_code in {302, 403}


def test_head_cannot_deactivate_themselves(head, world):
    own = membership_of(world.a.direction, world.a.school)
    response = head.post(action_url("account_deactivate", world.a.school, own), follow=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.content.decode()
    own.refresh_from_db()
    assert own.active and fresh(world.a.direction).is_active


def test_actions_are_post_only(head, world):
    target = membership_of(world.a.student, world.a.school)
    for name in ("account_deactivate", "account_reactivate", "account_password_reset"):
        assert head.get(action_url(name, world.a.school, target)).status_code == 405
    target.refresh_from_db()
    assert target.active
    assert not ActivationCode.objects.filter(user=world.a.student).exists()


def test_actions_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.direction)
    target = membership_of(world.a.student, world.a.school)
    assert client.post(action_url("account_deactivate", world.a.school, target)).status_code == 403
    target.refresh_from_db()
    assert target.active


def test_head_of_a_cannot_act_on_an_account_of_b(head, world):
    target_b = membership_of(world.b.student, world.b.school)
    for name in ("account_deactivate", "account_reactivate", "account_password_reset"):
        # School B's membership id under school A's address: not found.
        assert head.post(action_url(name, world.a.school, target_b)).status_code == 404
        # Under school B's address: no membership there.
        assert head.post(action_url(name, world.b.school, target_b)).status_code == 403
    target_b.refresh_from_db()
    assert target_b.active
    assert fresh(world.b.student).is_active
    assert fresh(world.b.student).check_password(DEMO_PASSWORD)
    assert not ActivationCode.objects.filter(user=world.b.student).exists()


def test_forged_ids_are_not_found(head, world):
    for forged in (999_999_999, 2**70):
        url = reverse("annuaire_admin:account_deactivate", kwargs={"uai": world.a.school.uai, "membership_id": forged})
        assert head.post(url).status_code == 404


def test_access_account_answers_404_for_foreign_and_forbidden(world):
    from django.http import Http404

    with school_scope(world.a.school):
        own = membership_of(world.a.student, world.a.school)
        assert access_account(world.a.direction, world.a.school, own.pk) == own
        with pytest.raises(Http404):
            access_account(world.a.direction, world.a.school, membership_of(world.b.student, world.b.school).pk)
        with pytest.raises(Http404):
            access_account(world.a.teacher, world.a.school, own.pk)


def test_a_delegate_cannot_touch_the_heads_account(client, world):
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, world.a.school)
    client.force_login(world.a.staff)
    head_membership = membership_of(world.a.direction, world.a.school)
    response = client.post(action_url("account_password_reset", world.a.school, head_membership), follow=True)
    assert "Seule la direction peut agir" in response.content.decode()
    response = client.post(action_url("account_deactivate", world.a.school, head_membership), follow=True)
    assert "Seule la direction peut agir" in response.content.decode()
    assert fresh(world.a.direction).check_password(DEMO_PASSWORD)
    assert membership_of(world.a.direction, world.a.school).active
    # ... but does manage the other accounts.
    client.post(action_url("account_deactivate", world.a.school, membership_of(world.a.parent, world.a.school)))
    assert not membership_of(world.a.parent, world.a.school).active


def test_services_refuse_a_second_deactivation_or_reactivation(world):
    with school_scope(world.a.school):
        target = membership_of(world.a.parent, world.a.school)
        with pytest.raises(ValidationError, match="déjà actif"):
            reactivate_account(membership=target, reactivated_by=world.a.direction)
        assert deactivate_account(membership=target, deactivated_by=world.a.direction) == 1
        with pytest.raises(ValidationError, match="déjà désactivé"):
            deactivate_account(membership=target, deactivated_by=world.a.direction)
        with pytest.raises(ValidationError, match="réactivez-le"):
            reset_password(membership=target, reset_by=world.a.direction)


# --- reset password: the activation letter ---------------------------------------------


def test_reset_password_prints_a_letter_with_a_working_code(head, world):
    school = world.a.school
    target = membership_of(world.a.student, school)
    response = head.post(action_url("account_password_reset", school, target))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'class="letter"' in html
    assert school.name in html
    assert world.a.student.get_full_name() in html
    assert "eleve.a" in html
    assert "http://testserver/accounts/activation/" in html
    assert "12 caractères" in html
    match = re.search(r"data-activation-code>([A-Z0-9-]+)<", html)
    assert match is not None
    code = match.group(1)

    student = fresh(world.a.student)
    assert find_valid_code(user=student, code=code) is not None
    assert not student.check_password(DEMO_PASSWORD)
    assert not student.has_usable_password()
    assert not Client().login(username="eleve.a", password=DEMO_PASSWORD)
    # Only the hash is kept.
    stored = ActivationCode.objects.get(user=student, used_at=None)
    assert code not in stored.code_hash
    # The letter is shown once: the accounts page never shows the code again.
    assert code not in head.get(accounts_url(world.a)).content.decode()


def test_reset_password_replaces_an_earlier_code(head, world):
    school = world.a.school
    target = membership_of(world.a.parent, school)
    first = head.post(action_url("account_password_reset", school, target)).context["letter"].code
    second = head.post(action_url("account_password_reset", school, target)).context["letter"].code
    parent = fresh(world.a.parent)
    assert find_valid_code(user=parent, code=second) is not None
    assert first == second or find_valid_code(user=parent, code=first) is None


# --- query budget ----------------------------------------------------------------------


def add_students(cast, count: int) -> None:
    """`count` more students in the cast's school, spread over new divisions (bulk: no hashing)."""
    divisions = [DivisionFactory(school=cast.school, code=f"4X{n}", name=f"4e X{n}") for n in range(3)]
    users = User.objects.bulk_create(
        [
            User(username=f"bulk.{cast.school.pk}.{n}", first_name=f"Prénom{n}", last_name=f"Nom{n:04d}", password="!")
            for n in range(count)
        ]
    )
    Membership.unscoped.bulk_create(
        [
            Membership(school=cast.school, user=user, profile=Profile.STUDENT, division=divisions[n % 3])
            for n, user in enumerate(users)
        ]
    )


@pytest.mark.parametrize("students", [5, 200])
def test_accounts_page_query_count_does_not_grow(head, world, students):
    add_students(world.a, students)
    with max_queries(14):
        response = head.get(accounts_url(world.a))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(50, students + 7)
    with max_queries(14):
        response = head.get(accounts_url(world.a, q="Nom", profile="student", state="pending"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(50, students)


def test_selector_reads_a_page_in_two_queries(world, django_assert_num_queries):
    add_students(world.a, 30)
    with school_scope(world.a.school):
        users = school_accounts(world.a.school, profile=Profile.STUDENT, state=AccountState.PENDING)
        with django_assert_num_queries(2):
            rows = account_rows(users[:50])
            states = {row.state for row in rows}
            divisions = {row.division.name for row in rows if row.division}
    assert states == {AccountState.PENDING}
    assert world.a.division.name in divisions and len(rows) == 33
