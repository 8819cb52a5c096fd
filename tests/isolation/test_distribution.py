"""Could PostgreSQL be distributed by school (Citus) without a data-model change?

Citus distributes a table by one column and asks that every unique key of the table include
it, and that no reference (shared) table point to a distributed one. These tests read the
migrated database itself (its constraints and indexes), so that a migration written by hand
cannot slip past them. Still to come (docs/scale-out.md): primary keys on (school_id, id) and
foreign keys between tenant tables on (school_id, ...).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from schools.models import School

pytestmark = pytest.mark.django_db

# Single-column keys that Citus would refuse, each with what it takes to remove it; the list may
# only shrink: a new one fails the test, and so does one that is gone but still listed.
KNOWN_SINGLE_COLUMN_KEYS = {
    # One-to-one links to the lesson: `lesson.entry` and `lesson.roll_call` are read everywhere.
    ("cahier_textes_lessonentry", ("lesson_id",)),
    ("vie_scolaire_rollcall", ("lesson_id",)),
    # The secret of an agenda feed's URL, looked up before the school is known.
    ("vie_scolaire_calendarfeed", ("key_hash",)),
}


def tenant_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if any(f.name == "school" and f.related_model is School for f in model._meta.concrete_fields)
    ]


def unique_keys(table: str) -> list[tuple[str, ...]]:
    """The table's unique constraints and unique indexes in the database, primary key aside."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        tuple(spec["columns"])
        for spec in constraints.values()
        if spec["unique"] and not spec["primary_key"] and spec["columns"]
    ]


def test_every_unique_key_of_a_tenant_table_includes_the_school() -> None:
    missing = {
        (model._meta.db_table, columns)
        for model in tenant_models()
        for columns in unique_keys(model._meta.db_table)
        if "school_id" not in columns
    }
    assert missing == KNOWN_SINGLE_COLUMN_KEYS


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
