"""Reads of schools: service states, the city console."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection

from schools.models import School, SchoolService
from schools.modules import Module


def school_by_uai(uai: str) -> School | None:
    """The school of a tenant URL, read by hand (as every tenant page reads it first): its columns as the model
    declares them, without the ORM's building of the query."""
    fields = [field.attname for field in School._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in School._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {School._meta.db_table} WHERE uai = %s", [uai])  # noqa: S608 (the model's own names)
        row = cursor.fetchone()
    return None if row is None else School.from_db(DEFAULT_DB_ALIAS, fields, list(row))


def service_states(school: School) -> dict[str, tuple[str, str]]:
    """module code -> (state, external url) for a school, read inside its scope."""
    rows = SchoolService.objects.filter(school=school).values_list("module", "state", "external_url")
    return {module: (state, url) for module, state, url in rows}


def module_state(states: dict[str, tuple[str, str]], module: Module) -> tuple[str, str]:
    """A module's state in a school and its external URL: the school's choice, else the module's default.

    The one answer the pages, the API, the navigation and the administration all read.
    """
    state, url = states.get(module.code, (None, ""))
    if state is None:
        return (SchoolService.State.ON if module.default_on else SchoolService.State.OFF), ""
    return state, url
