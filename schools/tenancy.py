"""The tenancy machinery: which school a piece of work runs for.

A request, a Celery task or a command enters one school's scope with `school_scope`.
Tenant models (`TenantModel`) filter their default manager on it and fail closed: with
no school in scope, a query raises `ScopeError` instead of returning every school's rows.
Code that must read across schools (city console, importers, nightly jobs) says so with
`Model.unscoped` or `cross_school()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

if TYPE_CHECKING:
    from schools.models import School

__all__ = ["ScopeError", "TenantModel", "cross_school", "current_school", "school_scope", "schools_scope"]

_current_school: ContextVar[School | None] = ContextVar("current_school", default=None)


def current_school() -> School | None:
    return _current_school.get()


@contextmanager
def school_scope(school: School) -> Iterator[School]:
    """Run the block for one school: scoped managers filter on it."""
    if school is None or school.pk is None:
        raise ScopeError("school_scope needs a saved school")
    token = _current_school.set(school)
    try:
        with scope(school=school.pk):
            yield school
    finally:
        _current_school.reset(token)


@contextmanager
def schools_scope(school_ids: list[int]) -> Iterator[None]:
    """Read across an explicit list of schools (a parent's or a teacher's own schools)."""
    with scope(school=list(school_ids)):
        yield


@contextmanager
def cross_school() -> Iterator[None]:
    """The explicitly named unscoped path, for city-wide and import work."""
    with scopes_disabled():
        yield


class TenantModel(models.Model):
    """A table owned by one school: non-null school key, scoped default manager."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(school="school")
    unscoped = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"
