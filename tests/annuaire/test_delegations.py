"""Rights a head delegates: the page, grant and withdraw, refusals, the delegate's real access."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from guardian.shortcuts import assign_perm

from annuaire.backends import school_permissions
from annuaire.models import Membership, Profile, User
from annuaire.selectors import forget_cached_rights, memberships_by_school, read_person_in_school
from annuaire.selectors.admin import access_delegation, school_delegations
from annuaire.services.accounts import deactivate_account
from annuaire.services.delegations import grant_delegation, withdraw_delegation
from schools import permissions as school_perms
from schools.models import SchoolUserObjectPermission
from schools.selectors import service_states
from schools.services import set_service_state
from schools.tenancy import school_scope
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def delegations_url(cast) -> str:
    return reverse("annuaire_admin:delegations", kwargs={"uai": cast.school.uai})


def withdraw_url(cast, row: SchoolUserObjectPermission) -> str:
    return reverse("annuaire_admin:delegation_withdraw", kwargs={"uai": cast.school.uai, "delegation_id": row.pk})


def delegation_rows(school) -> list[tuple[str, str]]:
    return sorted(
        SchoolUserObjectPermission.objects.filter(content_object=school).values_list(
            "user__username", "permission__codename"
        )
    )


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- the page --------------------------------------------------------------------------


def test_head_sees_delegations_with_french_labels(client, world):
    assign_perm(school_perms.VIEW_OVERVIEW, world.a.staff, world.a.school)
    client.force_login(world.a.direction)
    response = client.get(delegations_url(world.a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voir la vue d&#x27;ensemble de l&#x27;établissement" in html  # the current delegation
    assert "cpe.a" in html
    assert "Gérer les comptes de l&#x27;établissement" in html  # a choice of the grant form
    assert "Déléguer des droits" not in html  # never delegable
    assert '<label for="id_person"' in html and '<label for="id_permission"' in html
    assert "<caption" in html and 'scope="col"' in html
    # Only active staff and teachers of school A are offered.
    form_people = {user.username for user in response.context["form"].fields["person"].queryset}
    assert form_people == {"cpe.a", "prof.a"}


@pytest.mark.parametrize("role", ["staff", "teacher", "student", "parent"])
def test_others_are_refused(client, world, role):
    client.force_login(world.a.users_by_role[role])
    assert client.get(delegations_url(world.a)).status_code == 403
    response = client.post(
        delegations_url(world.a), {"person": world.a.staff.pk, "permission": "schools.manage_accounts"}
    )
    assert response.status_code == 403
    assert delegation_rows(world.a.school) == []


def test_city_admin_holds_no_delegation_right(client, world):
    client.force_login(world.city_admin)
    assert client.get(delegations_url(world.a)).status_code == 403


def test_a_delegated_right_is_never_delegable_again(client, world):
    """A CPE who manages accounts still cannot hand out rights."""
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, world.a.school)
    client.force_login(world.a.staff)
    assert client.get(delegations_url(world.a)).status_code == 403


# --- grant and withdraw round trip -----------------------------------------------------


def test_grant_then_withdraw_through_the_pages(client, world):
    school = world.a.school
    cpe = world.a.staff
    accounts_url = reverse("annuaire_admin:accounts", kwargs={"uai": school.uai})
    cpe_client = client.__class__()
    cpe_client.force_login(cpe)
    assert cpe_client.get(accounts_url).status_code == 403

    client.force_login(world.a.direction)
    response = client.post(
        delegations_url(world.a), {"person": cpe.pk, "permission": "schools.manage_accounts"}, follow=True
    )
    assert "a reçu le droit « Gérer les comptes de l&#x27;établissement »" in response.content.decode()
    assert delegation_rows(school) == [("cpe.a", "manage_accounts")]
    assert fresh(cpe).has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assert not fresh(cpe).has_perm(school_perms.MANAGE_ACCOUNTS, world.b.school)
    # The delegate really holds the right: the accounts page opens, and the navigation offers it.
    response = cpe_client.get(accounts_url)
    assert response.status_code == 200
    assert accounts_url in response.content.decode()

    row = SchoolUserObjectPermission.objects.get(content_object=school, user=cpe)
    response = client.post(withdraw_url(world.a, row), follow=True)
    assert "est retiré à" in response.content.decode()
    assert delegation_rows(school) == []
    assert not fresh(cpe).has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assert cpe_client.get(accounts_url).status_code == 403


def test_services_round_trip_and_cached_rights(world):
    school, teacher = world.a.school, world.a.teacher
    assert not teacher.has_perm(school_perms.VIEW_OVERVIEW, school)  # now cached on this object
    with school_scope(school):
        grant_delegation(
            school=school, user=teacher, permission=school_perms.VIEW_OVERVIEW, granted_by=world.a.direction
        )
    # The service forgets what the object it was given remembered.
    assert teacher.has_perm(school_perms.VIEW_OVERVIEW, school)
    with school_scope(school):
        withdraw_delegation(
            school=school, user=teacher, permission=school_perms.VIEW_OVERVIEW, withdrawn_by=world.a.direction
        )
    assert not teacher.has_perm(school_perms.VIEW_OVERVIEW, school)
    forget_cached_rights(teacher)
    assert not teacher.has_perm(school_perms.VIEW_OVERVIEW, school)


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "parent", "direction", "foreign_teacher", "outsider", "deactivated_staff"])
def test_grant_refuses_who_is_no_active_staff_or_teacher_here(world, who):
    school = world.a.school
    with school_scope(school):
        if who == "foreign_teacher":
            person = world.b.teacher
        elif who == "outsider":
            person = UserFactory()
        elif who == "deactivated_staff":
            person = UserFactory()
            MembershipFactory(school=school, user=person, profile=Profile.STAFF, active=False)
        else:
            person = world.a.users_by_role[who]
        with pytest.raises(ValidationError, match="n'est pas un membre du personnel ou un enseignant en activité"):
            grant_delegation(
                school=school, user=person, permission=school_perms.MANAGE_ACCOUNTS, granted_by=world.a.direction
            )
    assert delegation_rows(school) == []
    if who != "direction":  # the head holds the right by role anyway
        assert not fresh(person).has_perm(school_perms.MANAGE_ACCOUNTS, school)


@pytest.mark.parametrize(
    "permission",
    [school_perms.MANAGE_DELEGATIONS, school_perms.VIEW_CITY_CONSOLE, "annuaire.view_student", "n'importe"],
)
def test_grant_refuses_a_right_that_is_not_delegable(world, permission):
    with school_scope(world.a.school), pytest.raises(ValidationError, match="ne peut pas être délégué"):
        grant_delegation(school=world.a.school, user=world.a.staff, permission=permission, granted_by=world.a.direction)
    assert delegation_rows(world.a.school) == []


def test_grant_form_refuses_in_french_and_changes_nothing(client, world):
    client.force_login(world.a.direction)
    cases = [
        (
            {"person": world.a.student.pk, "permission": "schools.manage_accounts"},
            "n&#x27;est pas un membre du personnel",
        ),
        (
            {"person": world.b.teacher.pk, "permission": "schools.manage_accounts"},
            "n&#x27;est pas un membre du personnel",
        ),
        ({"person": world.a.staff.pk, "permission": "schools.manage_delegations"}, "ne peut pas être délégué"),
        ({"person": "", "permission": ""}, "Choisissez la personne"),
    ]
    for data, message in cases:
        response = client.post(delegations_url(world.a), data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert delegation_rows(world.a.school) == []


def test_a_right_is_granted_once(client, world):
    client.force_login(world.a.direction)
    data = {"person": world.a.teacher.pk, "permission": "schools.view_overview"}
    client.post(delegations_url(world.a), data)
    response = client.post(delegations_url(world.a), data)
    assert "détient déjà le droit" in response.content.decode()
    assert delegation_rows(world.a.school) == [("prof.a", "view_overview")]


def test_withdraw_refuses_what_was_never_granted(world):
    with school_scope(world.a.school), pytest.raises(ValidationError, match="ne détient pas ce droit"):
        withdraw_delegation(
            school=world.a.school,
            user=world.a.staff,
            permission=school_perms.MANAGE_ACCOUNTS,
            withdrawn_by=world.a.direction,
        )


def test_head_of_a_cannot_withdraw_a_delegation_of_b(client, world):
    row = assign_perm(school_perms.MANAGE_ACCOUNTS, world.b.staff, world.b.school)
    client.force_login(world.a.direction)
    assert client.post(withdraw_url(world.a, row)).status_code == 404
    assert client.post(withdraw_url(world.b, row)).status_code == 403
    assert client.get(withdraw_url(world.a, row)).status_code == 404
    assert delegation_rows(world.b.school) == [("cpe.b", "manage_accounts")]
    with pytest.raises(Http404):
        access_delegation(world.a.direction, world.a.school, row.pk)
    forged = reverse("annuaire_admin:delegation_withdraw", kwargs={"uai": world.a.school.uai, "delegation_id": 2**70})
    assert client.post(forged).status_code == 404


def test_withdraw_is_post_only(client, world):
    row = assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, world.a.school)
    client.force_login(world.a.direction)
    assert client.get(withdraw_url(world.a, row)).status_code == 405
    assert delegation_rows(world.a.school) == [("cpe.a", "manage_accounts")]


def test_a_deactivated_delegate_loses_the_right_and_the_page_says_so(client, world):
    school = world.a.school
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, school)
    with school_scope(school):
        deactivate_account(
            membership=Membership.objects.get(user=world.a.staff, school=school), deactivated_by=world.a.direction
        )
        [row] = school_delegations(school)
    assert not row.effective
    assert not fresh(world.a.staff).has_perm(school_perms.MANAGE_ACCOUNTS, school)
    client.force_login(world.a.direction)
    assert "sans effet : compte inactif" in client.get(delegations_url(world.a)).content.decode()


# --- the tenant pages' first read --------------------------------------------------------


def test_the_first_read_of_a_tenant_page_gives_what_the_orm_reads_give(world):
    """`read_person_in_school` (one statement) primes the memberships and delegations the permission backend
    reads and gives the school's services, as their own reads do, for a person of two schools."""
    staff = world.a.staff
    MembershipFactory(school=world.b.school, user=staff, profile=Profile.PARENT)
    assign_perm(school_perms.VIEW_OVERVIEW, staff, world.a.school)
    set_service_state(school=world.a.school, module="annuaire", state="off", external_url="", changed_by=None)
    for school in (world.a.school, world.b.school):
        primed = fresh(staff)
        services = read_person_in_school(primed, school)
        with school_scope(school):
            assert services == service_states(school)
        alone = fresh(staff)
        assert memberships_by_school(primed) == memberships_by_school(alone)
        for each in (world.a.school, world.b.school):
            assert school_permissions(primed, each.pk) == school_permissions(alone, each.pk)
    assert school_perms.VIEW_OVERVIEW in school_permissions(primed, world.a.school.pk)
    assert memberships_by_school(primed)[world.b.school.pk] == {Profile.PARENT}
