"""The keys that let PostgreSQL be distributed by school (Citus), read from the database itself.

Citus spreads a distributed table's rows over its nodes by one column, `school_id` here, and
enforces on each node only what a node can see: every primary and unique key of a distributed
table must include that column, and a foreign key between two distributed tables must carry it
on both sides. Django keeps `id` as every model's primary key (ids come from sequences, so they
stay unique across schools); only the database's constraints change, once, by the statements
`distribution_statements()` returns (`manage.py distribution_keys`). They are read from the
catalog rather than from the models, so that a constraint or an index added by a hand-written
migration is changed too. A database whose keys are already distributable gets no statement:
running the move twice changes nothing. Django must then group by every selected column
rather than by `id` alone, which is no longer a primary key (docs/scale-out.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from schools.models import School

SCHOOL_COLUMN = "school_id"

# pg_constraint's action codes, as a foreign key's clause spells them; Django leaves every
# action to NO ACTION (it deletes in Python), a hand-written migration may not.
NO_ACTION = "a"
ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def tenant_models() -> list[type[Model]]:
    """The models whose rows belong to one school: those with a `school` key to School."""
    return [
        model
        for model in apps.get_models()
        if any(f.name == "school" and f.related_model is School for f in model._meta.concrete_fields)
    ]


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    on_delete: str
    on_update: str
    deferrable: bool
    deferred: bool


@dataclass(frozen=True)
class UniqueKey:
    """A primary key, a unique constraint, or a unique index that backs no constraint."""

    name: str
    table: str
    kind: str  # "p", "u" (constraints) or "i" (a bare unique index)
    columns: tuple[str, ...]  # for an index: each key's definition, which may be an expression
    included: tuple[str, ...]
    nulls_not_distinct: bool
    deferrable: bool
    deferred: bool
    method: str
    predicate: str | None


FOREIGN_KEYS = """
SELECT c.conname, t.relname,
       array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.pos),
       f.relname,
       array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.pos),
       c.confdeltype, c.confupdtype, c.condeferrable, c.condeferred
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class f ON f.oid = c.confrelid
WHERE c.contype = 'f' AND t.relname = ANY(%s) AND f.relname = ANY(%s)
  AND t.relnamespace = current_schema()::regnamespace
ORDER BY t.relname, c.conname
"""

# Each key column's definition comes from pg_get_indexdef, so an expression, an operator class
# or a collation of a hand-written index survives its re-creation.
UNIQUE_KEYS = """
SELECT coalesce(c.conname, ic.relname), t.relname, coalesce(c.contype::text, 'i'),
       array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k),
       array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(i.indnkeyatts + 1, i.indnatts) k),
       i.indnullsnotdistinct, coalesce(c.condeferrable, false), coalesce(c.condeferred, false),
       am.amname, pg_get_expr(i.indpred, i.indrelid, true)
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u')
WHERE i.indisunique AND t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
ORDER BY t.relname, 1
"""


def tenant_tables() -> list[str]:
    return sorted(model._meta.db_table for model in tenant_models())


def foreign_keys_between_tenant_tables(connection: BaseDatabaseWrapper) -> list[ForeignKey]:
    tables = tenant_tables()
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS, [tables, tables])
        rows = cursor.fetchall()
    return [
        ForeignKey(
            name=name,
            table=table,
            columns=tuple(columns),
            target=target,
            target_columns=tuple(target_columns),
            on_delete=on_delete,
            on_update=on_update,
            deferrable=deferrable,
            deferred=deferred,
        )
        for name, table, columns, target, target_columns, on_delete, on_update, deferrable, deferred in rows
    ]


def tenant_unique_keys(connection: BaseDatabaseWrapper) -> list[UniqueKey]:
    with connection.cursor() as cursor:
        cursor.execute(UNIQUE_KEYS, [tenant_tables()])
        rows = cursor.fetchall()
    return [
        UniqueKey(
            name=name,
            table=table,
            kind=kind,
            columns=tuple(columns),
            included=tuple(included),
            nulls_not_distinct=nulls_not_distinct,
            deferrable=deferrable,
            deferred=deferred,
            method=method,
            predicate=predicate,
        )
        for name, table, kind, columns, included, nulls_not_distinct, deferrable, deferred, method, predicate in rows
    ]


def distribution_statements(connection: BaseDatabaseWrapper) -> list[str]:
    """The DDL that makes every tenant table distributable by school, in the order it must run.

    Foreign keys between tenant tables go first, since they hang on the keys that change, and
    come back last on (school_id, ...), which also makes the database refuse a row that points
    to another school's row. Empty once applied.
    """
    quote = connection.ops.quote_name
    keys = [key for key in tenant_unique_keys(connection) if SCHOOL_COLUMN not in key.columns]
    foreign_keys = [fk for fk in foreign_keys_between_tenant_tables(connection) if SCHOOL_COLUMN not in fk.columns]
    statements = [f"ALTER TABLE {quote(fk.table)} DROP CONSTRAINT {quote(fk.name)}" for fk in foreign_keys]
    for key in keys:
        statements += replace_unique_key(key, connection)
    statements += [add_foreign_key(fk, connection) for fk in foreign_keys]
    return statements


def deferral(deferrable: bool, deferred: bool) -> str:
    if not deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if deferred else " DEFERRABLE INITIALLY IMMEDIATE"


def replace_unique_key(key: UniqueKey, connection: BaseDatabaseWrapper) -> list[str]:
    quote = connection.ops.quote_name
    table, name = quote(key.table), quote(key.name)
    columns = ", ".join([quote(SCHOOL_COLUMN), *key.columns])
    included = f" INCLUDE ({', '.join(key.included)})" if key.included else ""
    nulls = " NULLS NOT DISTINCT" if key.nulls_not_distinct else ""
    if key.kind == "i":
        predicate = f" WHERE {key.predicate}" if key.predicate else ""
        return [
            f"DROP INDEX {name}",
            f"CREATE UNIQUE INDEX {name} ON {table} USING {key.method} ({columns}){included}{nulls}{predicate}",
        ]
    constraint = "PRIMARY KEY" if key.kind == "p" else f"UNIQUE{nulls}"
    return [
        f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {constraint} ({columns}){included}"
        f"{deferral(key.deferrable, key.deferred)}",
    ]


def add_foreign_key(fk: ForeignKey, connection: BaseDatabaseWrapper) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in (SCHOOL_COLUMN, *fk.columns))
    target_columns = ", ".join(quote(c) for c in (SCHOOL_COLUMN, *fk.target_columns))
    actions = ""
    if fk.on_delete != NO_ACTION:
        # Setting the whole key to null would null school_id too: only the pointing columns are.
        nulled = f" ({', '.join(quote(c) for c in fk.columns)})" if fk.on_delete in "nd" else ""
        actions += f" ON DELETE {ACTIONS[fk.on_delete]}{nulled}"
    if fk.on_update != NO_ACTION:
        actions += f" ON UPDATE {ACTIONS[fk.on_update]}"
    return (
        f"ALTER TABLE {quote(fk.table)} ADD CONSTRAINT {quote(fk.name)} FOREIGN KEY ({columns}) "
        f"REFERENCES {quote(fk.target)} ({target_columns}){actions}{deferral(fk.deferrable, fk.deferred)}"
    )
