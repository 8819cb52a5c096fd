"""The importer's bulk writes: COPY through a temporary table on PostgreSQL, bulk_create elsewhere.

The same tests run on SQLite (`make test`) and on PostgreSQL (DATABASE_URL=postgres://...); the
last ones run on PostgreSQL only, as an ordinary role, where row-level security applies.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from annuaire.models import Membership, Profile, User
from schools.bulk import insert_rows, update_rows
from schools.tenancy import cross_school, school_scope
from tests.conftest import requires_postgres
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

PROBE_ROLE = "ent_bulk_probe"


def test_inserted_rows_come_back_by_their_key_and_take_the_model_defaults():
    school = SchoolFactory()
    users = UserFactory.create_batch(2)
    before = timezone.now()
    with cross_school():
        created = insert_rows(
            Membership,
            ("school_id", "user_id", "profile", "functions"),
            [
                (school.pk, users[0].pk, Profile.TEACHER, ["Mathématiques", "l'« option »\n"]),
                (school.pk, users[1].pk, Profile.STUDENT, []),
            ],
            returning=("user_id", "id"),
        )
        rows = {m.user_id: m for m in Membership.unscoped.all()}
    assert dict(created) == {user_id: membership.pk for user_id, membership in rows.items()}
    teacher = rows[users[0].pk]
    assert teacher.functions == ["Mathématiques", "l'« option »\n"]
    assert (teacher.profile, teacher.active, teacher.from_directory, teacher.external_id) == (
        "teacher",
        True,
        False,
        "",
    )
    assert teacher.created_at >= before
    assert rows[users[1].pk].functions == []


def test_new_users_get_their_fields_and_nothing_is_returned_unless_asked():
    assert insert_rows(User, ("username", "last_name", "birth_date"), [("jean.dupont", "DUPONT", None)]) == []
    user = User.objects.get(username="jean.dupont")
    assert (user.last_name, user.birth_date, user.is_active, user.email) == ("DUPONT", None, True, "")


def test_updated_rows_change_in_the_named_columns_only():
    school = SchoolFactory()
    users = UserFactory.create_batch(3)
    ended = timezone.now()
    with cross_school():
        ids = dict(
            insert_rows(
                Membership,
                ("school_id", "user_id", "profile"),
                [(school.pk, user.pk, Profile.STAFF) for user in users],
                returning=("user_id", "id"),
            )
        )
        update_rows(
            Membership,
            ("active", "ended_at", "functions"),
            [(ids[users[0].pk], False, ended, ["CPE"]), (ids[users[1].pk], True, None, ["Documentaliste"])],
        )
        rows = {m.user_id: m for m in Membership.unscoped.all()}
    assert (rows[users[0].pk].active, rows[users[0].pk].ended_at, rows[users[0].pk].functions) == (
        False,
        ended,
        ["CPE"],
    )
    assert (rows[users[1].pk].active, rows[users[1].pk].functions) == (True, ["Documentaliste"])
    assert (rows[users[2].pk].active, rows[users[2].pk].functions, rows[users[2].pk].profile) == (True, [], "staff")


def test_no_rows_write_nothing():
    assert insert_rows(Membership, ("school_id", "user_id", "profile"), [], returning=("id",)) == []
    update_rows(Membership, ("active",), [])
    assert not Membership.unscoped.exists()


@pytest.fixture
def ordinary_role() -> Iterator[None]:
    """Production's kind of role: row-level security applies to it (a superuser bypasses it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {PROBE_ROLE} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"SET ROLE {PROBE_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@requires_postgres()
def test_copy_writes_tenant_rows_under_row_level_security(ordinary_role):
    school, user = SchoolFactory(), UserFactory()
    with cross_school():
        ((membership_id,),) = insert_rows(
            Membership, ("school_id", "user_id", "profile"), [(school.pk, user.pk, Profile.PARENT)], returning=("id",)
        )
        update_rows(Membership, ("active",), [(membership_id, False)])
        assert Membership.unscoped.get(pk=membership_id).active is False


@requires_postgres()
def test_copy_cannot_write_another_schools_rows_inside_a_school_scope(ordinary_role):
    school, other, user = SchoolFactory(), SchoolFactory(), UserFactory()
    rows = [(other.pk, user.pk, Profile.PARENT)]
    with school_scope(school), pytest.raises(DatabaseError), transaction.atomic():
        insert_rows(Membership, ("school_id", "user_id", "profile"), rows)
