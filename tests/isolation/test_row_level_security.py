"""PostgreSQL row-level security: the wall behind the scoped managers.

Superusers bypass row-level security, so the checks run as an ordinary role, the way
production connects.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from annuaire.models import Membership
from schools.distribution import tenant_models
from schools.rls import POLICY_NAME
from schools.tenancy import cross_school, school_scope, schools_scope
from tests.conftest import requires_postgres

pytestmark = [requires_postgres(), pytest.mark.django_db]

PROBE_ROLE = "ent_rls_probe"


def tenant_tables() -> list[str]:
    return sorted(model._meta.db_table for model in tenant_models())


@pytest.fixture
def ordinary_role() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {PROBE_ROLE} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"SET ROLE {PROBE_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_every_tenant_table_has_a_forced_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname "
            "WHERE c.relrowsecurity AND c.relforcerowsecurity AND p.policyname = %s",
            [POLICY_NAME],
        )
        protected = {row[0] for row in cursor.fetchall()}
    missing = [table for table in tenant_tables() if table not in protected]
    assert not missing, f"Add TenantRowLevelSecurity(...) to a migration for: {missing}"


def test_an_unscoped_query_inside_a_school_scope_sees_that_school_only(world, ordinary_role):
    a, b = world.a.school, world.b.school
    with school_scope(a):
        schools_seen = set(Membership.unscoped.values_list("school_id", flat=True))
    assert schools_seen == {a.pk}
    with schools_scope([a.pk, b.pk]):
        assert set(Membership.unscoped.values_list("school_id", flat=True)) == {a.pk, b.pk}
    with schools_scope([]):
        assert not Membership.unscoped.exists()


def test_cross_school_work_sees_every_school_even_inside_a_scope(world, ordinary_role):
    with school_scope(world.a.school), cross_school():
        assert set(Membership.unscoped.values_list("school_id", flat=True)) == {world.a.school.pk, world.b.school.pk}
    # Leaving the nested cross-school block restores the school's wall.
    with school_scope(world.a.school):
        with cross_school():
            pass
        assert set(Membership.unscoped.values_list("school_id", flat=True)) == {world.a.school.pk}


def test_a_row_for_another_school_cannot_be_written_inside_a_scope(world, ordinary_role):
    with school_scope(world.a.school), pytest.raises(DatabaseError), transaction.atomic():
        Membership.unscoped.create(school=world.b.school, user=world.a.teacher, profile="teacher")
