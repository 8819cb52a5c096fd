"""The tenancy machinery: which school a piece of work runs for.

A request, a Celery task or a command enters one school's scope with `school_scope`.
Tenant models (`TenantModel`) filter their default manager on it and fail closed: with
no school in scope, a query raises `ScopeError` instead of returning every school's rows.
Code that must read across schools (city console, importers, nightly jobs) says so with
`Model.unscoped` or `cross_school()`.

On PostgreSQL, row-level security is the second wall (`schools.rls`): the connection
carries the ids of the schools in scope (`ent.school_ids`), and inside a school's scope
even an unscoped query returns that school's rows only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.manager import DisabledQuerySet
from psycopg.pq import TransactionStatus

if TYPE_CHECKING:
    from schools.models import School

__all__ = ["ScopeError", "TenantModel", "cross_school", "current_school", "school_scope", "schools_scope"]

# django-scopes leaves a few answering methods open on the queryset it hands out when no
# school is in scope; `exists()` would tell whether any school has a row. Close them.
for _method in ("exists", "contains", "in_bulk", "explain"):
    setattr(DisabledQuerySet, _method, DisabledQuerySet.error)

_current_school: ContextVar[School | None] = ContextVar("current_school", default=None)
# The school ids the database connection restricts rows to; "" means no restriction.
_database_scope: ContextVar[str] = ContextVar("database_scope", default="")


def current_school() -> School | None:
    return _current_school.get()


SET_SCOPE = "SELECT set_config('ent.school_ids', %s, false)"
SET_TRANSACTION_SCOPE = "SELECT set_config('ent.school_ids', %s, true)"


def apply_database_scope(alias: str) -> None:
    """Give one connection the school scope of the moment (row-level security, on PostgreSQL)."""
    database = connections[alias]
    if database.vendor != "postgresql":
        return
    value = _database_scope.get()
    if not settings.DATABASE_SCOPE_IN_CONNECTION:
        # Behind a pooler in transaction mode: a transaction already open takes the new scope now, the
        # next ones get theirs from `scope_each_transaction`.
        if database.connection is not None and _in_transaction(database.connection):
            with database.cursor() as cursor:
                cursor.execute(SET_TRANSACTION_SCOPE, [value])
        return
    committed_at_once = not database.in_atomic_block and database.get_autocommit()
    applied = getattr(database, "_ent_school_ids", None)
    # The driver's connection itself, not its id, which a new connection could take after a close.
    if committed_at_once and applied is not None and applied[0] is database.connection and applied[1] == value:
        return
    with database.cursor() as cursor:
        cursor.execute(SET_SCOPE, [value])
    # Remembered only when committed at once: inside a transaction a rollback would undo the setting. A
    # request sets it four times, twice to the value it already had (a cross-school read before the school's).
    database._ent_school_ids = (database.connection, value) if committed_at_once else None  # type: ignore[attr-defined]


def scope_each_transaction(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Behind a pooler in transaction mode, the school scope as a setting of each transaction (installed on
    every PostgreSQL connection by `schools.apps`): a server connection passes to another client between
    two transactions, so a setting that ends with the transaction is the only one that cannot be left
    behind. A statement in autocommit becomes a transaction of its own, the scope's and its own."""
    value = _database_scope.get()
    driver = context["connection"].connection
    if not value or _in_transaction(driver):
        # No scope is the database's default (no restriction); an open transaction already has its scope.
        return execute(sql, params, many, context)
    cursor = context["cursor"].cursor  # the driver's: Django's own would run this wrapper again
    if context["connection"].get_autocommit():
        with driver.transaction():
            cursor.execute(SET_TRANSACTION_SCOPE, [value])
            return execute(sql, params, many, context)
    cursor.execute(SET_TRANSACTION_SCOPE, [value])  # the statement that opens the transaction
    return execute(sql, params, many, context)


def _in_transaction(driver: Any) -> bool:
    return bool(driver.info.transaction_status != TransactionStatus.IDLE)


def _set_database_scope() -> None:
    for alias in settings.DATABASES:
        # Another database (the read replica) follows the scope only while it is open.
        if alias == DEFAULT_DB_ALIAS or connections[alias].connection is not None:
            apply_database_scope(alias)


@contextmanager
def _database_scope_of(value: str) -> Iterator[None]:
    token = _database_scope.set(value)
    _set_database_scope()
    try:
        yield
    finally:
        _database_scope.reset(token)
        _set_database_scope()


@contextmanager
def school_scope(school: School) -> Iterator[School]:
    """Run the block for one school: scoped managers filter on it."""
    if school is None or school.pk is None:
        raise ScopeError("school_scope needs a saved school")
    token = _current_school.set(school)
    try:
        with scope(school=school.pk), _database_scope_of(str(school.pk)):
            yield school
    finally:
        _current_school.reset(token)


@contextmanager
def schools_scope(school_ids: list[int]) -> Iterator[None]:
    """Read across an explicit list of schools (a parent's or a teacher's own schools)."""
    ids = [int(pk) for pk in school_ids]
    # An empty list must see nothing, so the database gets an id no school has.
    with scope(school=ids), _database_scope_of(",".join(map(str, ids)) or "0"):
        yield


@contextmanager
def cross_school() -> Iterator[None]:
    """The explicitly named unscoped path, for city-wide and import work."""
    with scopes_disabled(), _database_scope_of(""):
        yield


class TenantModel(models.Model):
    """A table owned by one school: non-null school key, scoped default manager."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")

    # django-scopes builds the manager class at run time; typed as the plain manager it extends.
    objects: ClassVar[models.Manager[Any]] = ScopedManager(school="school")
    unscoped: ClassVar[models.Manager[Any]] = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"
