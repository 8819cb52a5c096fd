"""Could PostgreSQL be distributed by school (Citus) without a data-model change?

Citus distributes a table by one column and asks that every primary and unique key of the table
include it, that a foreign key between two distributed tables carry it on both sides, and that
no reference (shared) table point to a distributed one. These tests read the database itself
(its constraints and indexes), so that a migration written by hand cannot slip past them.

The migrated schema keeps Django's keys: primary keys on `id`, foreign keys on one column, and
the single-column unique keys listed below. `manage.py distribution_keys` (`schools.distribution`)
turns them into keys on `(school_id, ...)`, once, when the database moves to Citus; the tests on
PostgreSQL apply those statements to the test database, check the keys Citus asks for, see the
database refuse a row pointing to another school's row, and run the portal on the new keys.
Applying them twice is harmless: the second time there is nothing left to change.
"""

from __future__ import annotations

import datetime
from html import unescape
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from annuaire.models import Division
from schools.distribution import distribution_statements, tenant_models
from schools.tenancy import school_scope
from tests.conftest import requires_postgres
from tests.factories import TeachingGroupFactory
from tests.vie_scolaire.conftest import MONDAY, build_timetable, paris_time
from tests.vie_scolaire.grades.grades_world import build_gradebook
from tests.world import build_world
from vie_scolaire.models import Lesson

pytestmark = pytest.mark.django_db

# Single-column keys of the migrated schema that Citus would refuse, each with what it takes to
# remove it; the list may only shrink: a new one fails the test, and so does one that is gone but
# still listed. `distribution_keys` puts school_id in front of each.
KNOWN_SINGLE_COLUMN_KEYS = {
    # One-to-one links to the lesson: `lesson.entry` and `lesson.roll_call` are read everywhere.
    ("cahier_textes_lessonentry", ("lesson_id",)),
    ("vie_scolaire_rollcall", ("lesson_id",)),
    # The secret of an agenda feed's URL, looked up before the school is known.
    ("vie_scolaire_calendarfeed", ("key_hash",)),
}


def constraints(table: str) -> dict[str, dict[str, Any]]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def unique_keys(table: str) -> list[tuple[str, ...]]:
    """The table's unique constraints and unique indexes in the database, primary key aside."""
    return [
        tuple(spec["columns"])
        for spec in constraints(table).values()
        if spec["unique"] and not spec["primary_key"] and spec["columns"]
    ]


def unique_keys_without_school() -> set[tuple[str, tuple[str, ...]]]:
    return {
        (model._meta.db_table, columns)
        for model in tenant_models()
        for columns in unique_keys(model._meta.db_table)
        if "school_id" not in columns
    }


def test_every_unique_key_of_a_tenant_table_includes_the_school() -> None:
    assert unique_keys_without_school() == KNOWN_SINGLE_COLUMN_KEYS


def test_no_shared_table_points_to_a_tenant_table() -> None:
    tenants = set(tenant_models())
    pointing = [
        f"{model._meta.db_table}.{field.column}"
        for model in apps.get_models()
        if model not in tenants
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in tenants
    ]
    assert pointing == []


def test_every_tenant_table_carries_the_school_column_for_distribution() -> None:
    with connection.cursor() as cursor:
        for model in tenant_models():
            columns = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
            assert "school_id" in columns, model._meta.db_table


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for the other databases")
def test_the_command_refuses_a_database_other_than_postgresql() -> None:
    with pytest.raises(CommandError, match="ne concerne que PostgreSQL"):
        call_command("distribution_keys")


@pytest.fixture
def distributed() -> None:
    """The test database on the distribution keys; before any row, which the new keys would check."""
    call_command("distribution_keys", "--apply", stdout=StringIO(), stderr=StringIO())


@requires_postgres()
def test_the_command_prints_the_statements_and_applying_them_twice_changes_nothing() -> None:
    out = StringIO()
    call_command("distribution_keys", stdout=out)
    printed = out.getvalue().splitlines()
    assert printed == [f"{statement};" for statement in distribution_statements(connection)]
    assert (
        'ALTER TABLE "vie_scolaire_rollcall" ADD CONSTRAINT "vie_scolaire_rollcall_pkey" PRIMARY KEY ("school_id", id);'
        in printed
    )
    call_command("distribution_keys", "--apply", stdout=StringIO(), stderr=StringIO())
    out, err = StringIO(), StringIO()
    call_command("distribution_keys", "--apply", stdout=out, stderr=err)
    assert out.getvalue() == "" and "rien à changer" in err.getvalue()


@requires_postgres()
def test_after_the_move_every_key_of_a_tenant_table_carries_the_school(distributed: None) -> None:
    tables = {model._meta.db_table for model in tenant_models()}
    primary_keys = {
        table: tuple(spec["columns"]) for table in tables for spec in constraints(table).values() if spec["primary_key"]
    }
    assert {table: key for table, key in primary_keys.items() if key != ("school_id", "id")} == {}
    assert unique_keys_without_school() == set()
    # Django's introspection names a foreign key's first target column: school_id on both sides,
    # first, pairs the school of the row with the school of the row it points to.
    foreign_keys = [
        (table, tuple(spec["columns"]), spec["foreign_key"])
        for table in tables
        for spec in constraints(table).values()
        if spec["foreign_key"] and spec["foreign_key"][0] in tables
    ]
    assert foreign_keys
    assert [fk for fk in foreign_keys if fk[1][0] != "school_id" or fk[2][1] != "school_id"] == []


@requires_postgres()
def test_after_the_move_the_database_refuses_a_row_pointing_to_another_school(distributed: None) -> None:
    world = build_world()
    group = TeachingGroupFactory(school=world.a.school)
    insert = "INSERT INTO annuaire_groupdivision (school_id, group_id, division_id) VALUES (%s, %s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(insert, [world.a.school.pk, group.pk, world.a.division.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(IntegrityError, match='is not present in table "annuaire_division"'), transaction.atomic():
            cursor.execute(insert, [world.a.school.pk, group.pk, world.b.division.pk])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@requires_postgres()
def test_keys_added_by_hand_keep_their_condition_and_deferral() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNIQUE INDEX hand_written_feed ON vie_scolaire_calendarfeed (lower(prefix)) "
            "WHERE revoked_at IS NULL"
        )
        cursor.execute(
            "ALTER TABLE vie_scolaire_calendarfeed ADD CONSTRAINT hand_written_key UNIQUE (prefix, owner_id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
    statements = distribution_statements(connection)
    assert (
        'CREATE UNIQUE INDEX "hand_written_feed" ON "vie_scolaire_calendarfeed" '
        'USING btree ("school_id", lower(prefix::text)) '
        "WHERE revoked_at IS NULL"
    ) in statements
    assert (
        'ALTER TABLE "vie_scolaire_calendarfeed" ADD CONSTRAINT "hand_written_key" '
        'UNIQUE ("school_id", prefix, owner_id) '
        "DEFERRABLE INITIALLY DEFERRED"
    ) in statements
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert distribution_statements(connection) == []


@requires_postgres()
def test_on_the_distribution_keys_the_portal_groups_by_every_selected_column(
    distributed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL lets a query group by a primary key alone; `id` is no longer one, so the project's
    backend (schools.postgresql) groups by every selected column, as Django does on SQLite."""
    world = build_world()
    divisions = Division.unscoped.annotate(members=Count("students")).order_by("code")
    assert [(d.code, d.members) for d in divisions.filter(school=world.a.school)] == [("5A1", 2), ("5A2", 1)]
    # Django's own PostgreSQL backend would group by `id` alone, which the database now refuses.
    monkeypatch.setattr(connection.features, "allows_group_by_selected_pks", True)
    with pytest.raises(ProgrammingError, match="must appear in the GROUP BY clause"), transaction.atomic():
        list(divisions)


@requires_postgres()
def test_the_portal_works_on_the_distribution_keys(
    client: Client,
    distributed: None,
    time_machine: TimeMachineFixture,
) -> None:
    """A roll call, homework and grades written and read through the pages, on the new keys."""
    time_machine.move_to(paris_time(MONDAY, 8, 30), tick=False)
    world = build_world()
    cast, timetable = world.a, build_timetable(world.a)
    build_gradebook(cast)
    with school_scope(cast.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
    uai = cast.school.uai
    client.force_login(cast.teacher)
    roll_call = reverse("timetable:roll_call", kwargs={"uai": uai, "lesson_id": lesson.pk})
    assert client.post(roll_call, {f"absent-{cast.student.pk}": "on"}).status_code == 302
    book_lesson = reverse("homework:lesson", kwargs={"uai": uai, "lesson_id": lesson.pk})
    client.post(book_lesson, {"action": "entry", "content": "<p>Les fractions</p>"})
    client.post(book_lesson, {"action": "homework", "description": "Exercices 3 et 4 p. 52", "kind": "to_do"})
    client.force_login(cast.student)
    tomorrow = (MONDAY + datetime.timedelta(days=1)).isoformat()
    homework = unescape(
        client.get(reverse("homework:home", kwargs={"uai": uai}) + f"?date={tomorrow}").content.decode()
    )
    assert "Exercices 3 et 4 p. 52" in homework and "Les fractions" in homework
    grades = unescape(client.get(reverse("grades:home", kwargs={"uai": uai})).content.decode())
    assert "Contrôle du 9 novembre" in grades and "12,57" in grades
    client.force_login(cast.teacher)
    taken = unescape(client.get(roll_call).content.decode())
    assert cast.student.get_full_name() in taken
