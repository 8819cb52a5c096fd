"""Bulk writes of plain rows: COPY on PostgreSQL, Django's bulk methods elsewhere.

For the big writes: a first directory import writes about 600,000 rows, a year of lessons
tens of thousands per school. Building a model instance for each row and letting
`bulk_create` prepare every value costs more than the database's own work, so the callers hand
plain tuples to these functions. On PostgreSQL the rows travel with COPY into a temporary table,
then one INSERT … SELECT (or UPDATE … FROM) moves them into the real table: COPY FROM is refused
on tables under row-level security, a plain INSERT or UPDATE is checked against their policies
like any other write. Other databases (SQLite for the tests and the demo) take the same rows
through `bulk_create` and `bulk_update`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from psycopg import sql

SQLITE_BATCH = 2000
TEMPORARY_TABLE = sql.Identifier("bulk_rows")

Row = tuple[Any, ...]


def _defaults(model: type[models.Model], columns: Sequence[str]) -> dict[str, Any]:
    """The values a new row takes in the model's other columns, as `Model(...)` would give them."""
    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns:
            continue
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        values[field.attname] = now if automatic else field.get_default()
    return values


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Row], *, returning: Sequence[str] = ()
) -> list[Row]:
    """Insert `rows` (values of `columns`, attribute names); the other fields take their defaults.

    Returns the `returning` columns of each new row (say the id and a natural key), in no
    particular order.
    """
    if not rows:
        return []
    defaults = _defaults(model, columns)
    all_columns = [*columns, *defaults]
    extra = tuple(defaults.values())
    full_rows = [(*row, *extra) for row in rows]
    if connection.vendor == "postgresql":
        return _copy_insert(model, all_columns, full_rows, returning)
    objects = [model(**dict(zip(all_columns, row, strict=True))) for row in full_rows]
    model._base_manager.bulk_create(objects, batch_size=SQLITE_BATCH)
    return [tuple(getattr(instance, name) for name in returning) for instance in objects] if returning else []


def update_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Set `columns` of existing rows; each row is (primary key, value of each column)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_update(model, columns, rows)
        return
    pk_name = model._meta.pk.attname
    objects = [model(**{pk_name: row[0], **dict(zip(columns, row[1:], strict=True))}) for row in rows]
    model._base_manager.bulk_update(objects, list(columns), batch_size=SQLITE_BATCH)


def _table(model: type[models.Model]) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


def _columns(model: type[models.Model], attnames: Iterable[str]) -> list[sql.Identifier]:
    """The columns of the fields named by `attnames` ("school_id")."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return [sql.Identifier(fields[name].get_attname_column()[1] or name) for name in attnames]


def _copy(cursor: Any, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
    """COPY `rows` into a new temporary table made of `columns` of the model's table."""
    names = sql.SQL(", ").join(_columns(model, columns))
    cursor.execute(
        sql.SQL("CREATE TEMPORARY TABLE {} AS SELECT {} FROM {} WITH NO DATA").format(
            TEMPORARY_TABLE, names, _table(model)
        )
    )
    fields = {field.attname: field for field in model._meta.concrete_fields}
    # COPY's text format takes JSON as its text; a Python list would be sent as an array.
    as_json = {index for index, name in enumerate(columns) if isinstance(fields[name], models.JSONField)}
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(TEMPORARY_TABLE, names)) as copy:
        for row in rows:
            if as_json:
                row = tuple(json.dumps(value) if index in as_json else value for index, value in enumerate(row))
            copy.write_row(row)


def _copy_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Row], returning: Sequence[str]
) -> list[Row]:
    names = sql.SQL(", ").join(_columns(model, columns))
    insert = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(_table(model), names, names, TEMPORARY_TABLE)
    if returning:
        insert += sql.SQL(" RETURNING {}").format(sql.SQL(", ").join(_columns(model, returning)))
    # A savepoint: should anything fail, the temporary table goes with the rest.
    with transaction.atomic(), connection.cursor() as cursor:
        _copy(cursor, model, columns, rows)
        cursor.execute(insert)
        result = [tuple(row) for row in cursor.fetchall()] if returning else []
        cursor.execute(sql.SQL("DROP TABLE {}").format(TEMPORARY_TABLE))
    return result


def _copy_update(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
    (pk,) = _columns(model, [model._meta.pk.attname])
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = new.{}").format(column, column) for column in _columns(model, columns)
    )
    update = sql.SQL("UPDATE {} SET {} FROM {} new WHERE {}.{} = new.{}").format(
        _table(model), assignments, TEMPORARY_TABLE, _table(model), pk, pk
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _copy(cursor, model, [model._meta.pk.attname, *columns], rows)
        cursor.execute(update)
        cursor.execute(sql.SQL("DROP TABLE {}").format(TEMPORARY_TABLE))
