"""Tenant managers fail closed without a school; the named unscoped path crosses schools; a school's
scope sees only its school, nested scopes restore the outer one, a parent's scope lists its schools."""

from __future__ import annotations

import pytest
from django.db import models
from django_scopes.exceptions import ScopeError

from annuaire.models import Division, Guardianship, Membership, Profile
from schools.models import School
from schools.tenancy import current_school, school_scope, schools_scope
from tests.factories import GuardianshipFactory, MembershipFactory, SchoolFactory, UserFactory
from tests.isolation.tenant_rows import TENANT_MODELS, add_rows, label
from tests.world import World


@pytest.fixture
def populated(world: World) -> World:
    add_rows(world.a)
    add_rows(world.b)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_default_manager_fails_closed_without_a_school(populated: World, model: type[models.Model]) -> None:
    manager = model._default_manager
    assert manager is model.objects, f"{label(model)}: the default manager is not `objects`"  # type: ignore[attr-defined]
    assert hasattr(manager, "with_scopes_disabled"), f"{label(model)}.objects is not django-scopes' ScopedManager"
    assert current_school() is None
    rows_of_b = model.unscoped.filter(school=populated.b.school).count()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(model.objects.all())  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.count()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.filter(school=populated.b.school).first()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.get(pk=1)  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(model.objects.values_list("pk", flat=True))  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.in_bulk([1])  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.update(school=populated.a.school)  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.all().delete()  # type: ignore[attr-defined]
    # Nothing was moved or deleted by the refused writes.
    assert model.unscoped.filter(school=populated.b.school).count() == rows_of_b  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_yes_no_answers_fail_closed_without_a_school(world: World) -> None:
    for answer in ("exists", "in_bulk", "explain"):
        with pytest.raises(ScopeError):
            getattr(Division.objects, answer)()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        Division.objects.contains(world.a.division)  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_unscoped_manager_is_the_named_cross_school_path(populated: World, model: type[models.Model]) -> None:
    unscoped = getattr(model, "unscoped", None)
    assert isinstance(unscoped, models.Manager), f"{label(model)} has no `unscoped` manager"
    assert not hasattr(unscoped, "with_scopes_disabled"), f"{label(model)}.unscoped is scoped"
    schools = set(unscoped.values_list("school", flat=True))
    assert {populated.a.school.pk, populated.b.school.pk} <= schools


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_school_scope_sees_only_its_school(populated: World, model: type[models.Model]) -> None:
    a, b = populated.a.school, populated.b.school
    b_row = model.unscoped.filter(school=b).first()  # type: ignore[attr-defined]
    if b_row is None or not model.unscoped.filter(school=a).exists():  # type: ignore[attr-defined]
        pytest.skip(
            f"no row of {label(model)} in both schools: add one to add_rows() in tests/isolation/tenant_rows.py"
        )
    with school_scope(a):
        assert current_school() == a
        rows = list(model.objects.all())  # type: ignore[attr-defined]
        assert rows
        assert {row.school_id for row in rows} == {a.pk}
        assert not model.objects.filter(pk=b_row.pk).exists()  # type: ignore[attr-defined]
        with pytest.raises(model.DoesNotExist):  # type: ignore[attr-defined]
            model.objects.get(pk=b_row.pk)  # type: ignore[attr-defined]
        # Filtering on the other school explicitly still finds nothing.
        assert not list(model.objects.filter(school=b))  # type: ignore[attr-defined]
    # Leaving the scope closes the door again.
    assert current_school() is None
    with pytest.raises(ScopeError):
        list(model.objects.all())  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_school_scope_refuses_a_missing_or_unsaved_school() -> None:
    with pytest.raises(ScopeError), school_scope(None):  # type: ignore[arg-type]
        pytest.fail("entered a scope with no school")
    unsaved = School(uai="0750680G", name="Pas encore enregistré", kind=School.Kind.COLLEGE)
    with pytest.raises(ScopeError), school_scope(unsaved):
        pytest.fail("entered a scope with an unsaved school")
    assert current_school() is None


@pytest.mark.django_db
def test_nested_scopes_restore_the_outer_school(world: World) -> None:
    a, b = world.a.school, world.b.school
    with school_scope(a):
        with school_scope(b):
            assert set(Division.objects.values_list("school", flat=True)) == {b.pk}  # type: ignore[attr-defined]
        assert current_school() == a
        assert set(Division.objects.values_list("school", flat=True)) == {a.pk}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_parents_schools_scope_sees_only_the_listed_schools(world: World) -> None:
    """A parent with children in A and C reads across exactly those two schools, never B."""
    parent = world.a.parent
    c = SchoolFactory(name="Collège C")
    child_in_c = UserFactory()
    MembershipFactory(school=c, user=child_in_c, profile=Profile.STUDENT)
    MembershipFactory(school=c, user=parent, profile=Profile.PARENT)
    GuardianshipFactory(school=c, student=child_in_c, guardian=parent)
    # A stray row in B naming the same parent: the scope alone must keep it out.
    GuardianshipFactory(school=world.b.school, student=world.b.classmate, guardian=parent)

    with schools_scope([world.a.school.pk, c.pk]):
        links = list(Guardianship.objects.filter(guardian=parent))  # type: ignore[attr-defined]
        assert {link.school_id for link in links} == {world.a.school.pk, c.pk}
        assert {link.student_id for link in links} == {world.a.student.pk, child_in_c.pk}
        assert set(Membership.objects.values_list("school", flat=True)) == {world.a.school.pk, c.pk}  # type: ignore[attr-defined]
    with schools_scope([]):
        assert not list(Guardianship.objects.all())  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(Guardianship.objects.all())  # type: ignore[attr-defined]
