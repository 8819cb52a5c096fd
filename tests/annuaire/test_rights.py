"""The one permission question: roles, relationships, delegations, the city profile."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from annuaire.models import Membership
from annuaire.selectors import forget_cached_rights, visible_divisions, visible_students
from schools import permissions as school_perms
from schools.tenancy import school_scope
from tests.factories import TeachingAssignmentFactory, TeachingGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_table_gives_heads_their_rights_and_nobody_else(world):
    school = world.a.school
    assert world.a.direction.has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assert world.a.direction.has_perm(school_perms.MANAGE_DELEGATIONS, school)
    for role in ("staff", "teacher", "student", "parent"):
        user = world.a.users_by_role[role]
        assert user.has_perm(school_perms.ACCESS_SCHOOL, school)
        assert not user.has_perm(school_perms.MANAGE_ACCOUNTS, school)


def test_rights_stop_at_the_school_border(world):
    assert not world.a.direction.has_perm(school_perms.MANAGE_ACCOUNTS, world.b.school)
    assert not world.a.student.has_perm(school_perms.ACCESS_SCHOOL, world.b.school)
    # An object of school B carries school B's rights, whatever its type.
    assert not world.a.direction.has_perm("annuaire.view_division", world.b.division)


def test_city_admin_oversees_every_school_but_is_no_member(world):
    city = world.city_admin
    assert city.has_perm(school_perms.VIEW_CITY_CONSOLE)
    for school in (world.a.school, world.b.school):
        assert city.has_perm(school_perms.VIEW_OVERVIEW, school)
        assert not city.has_perm(school_perms.ACCESS_SCHOOL, school)
        assert not city.has_perm(school_perms.MANAGE_DELEGATIONS, school)
    with school_scope(world.a.school):
        assert not city.has_perm("annuaire.view_student", world.a.student_membership)
    assert not world.a.direction.has_perm(school_perms.VIEW_CITY_CONSOLE)


def test_delegation_is_a_guardian_permission_on_the_school(world):
    school, cpe = world.a.school, world.a.staff
    assert not cpe.has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assign_perm(school_perms.MANAGE_ACCOUNTS, cpe, school)
    forget_cached_rights(cpe)
    assert cpe.has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assert not cpe.has_perm(school_perms.MANAGE_ACCOUNTS, world.b.school)

    # A delegation lasts only while the person is an active member of the school.
    Membership.unscoped.filter(user=cpe, school=school).update(active=False)
    forget_cached_rights(cpe)
    assert not cpe.has_perm(school_perms.MANAGE_ACCOUNTS, school)

    Membership.unscoped.filter(user=cpe, school=school).update(active=True)
    remove_perm(school_perms.MANAGE_ACCOUNTS, cpe, school)
    forget_cached_rights(cpe)
    assert not cpe.has_perm(school_perms.MANAGE_ACCOUNTS, school)


def test_teacher_sees_students_of_their_own_classes_only(world):
    a = world.a
    with school_scope(a.school):
        seen = {m.user for m in visible_students(a.teacher, a.school)}
        assert seen == {a.student, a.classmate}
        assert list(visible_divisions(a.teacher, a.school)) == [a.division]
        other = Membership.objects.get(user=a.other_student)
        assert not a.teacher.has_perm("annuaire.view_student", other)
        assert a.teacher.has_perm("annuaire.view_student", a.student_membership)


def test_teacher_of_a_group_sees_its_students(world):
    a = world.a
    group = TeachingGroupFactory(school=a.school, code="LV2-ESP")
    other_membership = Membership.unscoped.get(user=a.other_student)
    with school_scope(a.school):
        other_membership.groups.add(group, through_defaults={"school": a.school})
    spanish = UserFactory(username="prof.espagnol")
    Membership.unscoped.create(school=a.school, user=spanish, profile="teacher")
    TeachingAssignmentFactory(school=a.school, teacher=spanish, subject=a.subject, division=None, group=group)
    with school_scope(a.school):
        assert [m.user for m in visible_students(spanish, a.school)] == [a.other_student]


def test_parent_sees_own_children_and_student_sees_self(world):
    a = world.a
    with school_scope(a.school):
        assert [m.user for m in visible_students(a.parent, a.school)] == [a.student]
        assert [m.user for m in visible_students(a.student, a.school)] == [a.student]
        assert list(visible_divisions(a.parent, a.school)) == [a.division]
        assert not a.parent.has_perm("annuaire.view_division", a.other_division)


def test_staff_and_direction_see_the_whole_school(world):
    a = world.a
    with school_scope(a.school):
        for user in (a.direction, a.staff):
            assert visible_students(user, a.school).count() == 3
            assert visible_divisions(user, a.school).count() == 2


def test_inactive_user_holds_nothing(world):
    world.a.direction.is_active = False
    assert not world.a.direction.has_perm(school_perms.MANAGE_ACCOUNTS, world.a.school)


def test_personal_data_right_comes_with_the_accounts_right_through_the_school_only(world):
    school = world.a.school
    assert world.a.direction.has_perm(school_perms.MANAGE_PERSONAL_DATA, school)
    assert world.city_admin.has_perm(school_perms.MANAGE_ACCOUNTS, school)
    assert not world.city_admin.has_perm(school_perms.MANAGE_PERSONAL_DATA, school)
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, school)
    forget_cached_rights(world.a.staff)
    assert world.a.staff.has_perm(school_perms.MANAGE_PERSONAL_DATA, school)
    assert not world.a.teacher.has_perm(school_perms.MANAGE_PERSONAL_DATA, school)


def test_city_admin_cannot_print_a_new_code(client, world):
    target = Membership.unscoped.get(user=world.b.teacher, school=world.b.school)
    client.force_login(world.city_admin)
    url = reverse(
        "annuaire_admin:account_password_reset", kwargs={"uai": world.b.school.uai, "membership_id": target.pk}
    )
    response = client.post(url)
    assert response.status_code == 403
    page = client.get(reverse("annuaire_admin:accounts", kwargs={"uai": world.b.school.uai})).content.decode()
    assert "Nouveau code" not in page
