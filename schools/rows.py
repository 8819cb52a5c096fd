"""Hand-written reads of the school in scope, for the few reads every visit makes.

On the pages read most (a student's or a parent's home), building a query with the ORM costs more
processor time than the database takes to answer it: one to three milliseconds of Python for each of
the page's reads. Those reads are written here in SQL once, and they keep the tenancy's rules: the
school is the scope's (`%(school)s` in the statement), with no school in scope the read fails closed
like the scoped managers, and on PostgreSQL row-level security still applies.

A statement names its parameters (`%(name)s`); a list or tuple parameter stands for the list of an
`IN`: `l.weekly_lesson_id IN %(weekly)s` (an empty list matches nothing; refused after `NOT IN`,
where it would exclude every row). Each statement's behaviour is the tests' of the selector that
runs it, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.utils import timezone

from schools.tenancy import ScopeError, current_school


def school_rows(sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of `sql` for the school in scope (`%(school)s`)."""
    school = current_school()
    if school is None:
        raise ScopeError("a hand-written read needs a school in scope")
    bound: dict[str, Any] = {"school": school.pk}
    for name, value in params.items():
        if isinstance(value, list | tuple):
            if not value and re.search(rf"NOT\s+IN\s+%\({name}\)s", sql, re.IGNORECASE):
                # `x NOT IN (NULL)` is never true: the statement must say what an empty list means.
                raise ValueError(f"an empty list for NOT IN %({name})s would exclude every row")
            sql = sql.replace(f"%({name})s", _in_list(name, value, bound))
        else:
            bound[name] = _adapted(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        return cursor.fetchall()


def _in_list(name: str, values: Collection[Any], bound: dict[str, Any]) -> str:
    # SQLite binds no list: one parameter per value; an empty list matches nothing.
    names = [f"{name}_{index}" for index in range(len(values))]
    bound.update(zip(names, map(_adapted, values), strict=True))
    return "(" + ", ".join(f"%({each})s" for each in names) + ")" if names else "(NULL)"


def _adapted(value: Any) -> Any:
    # As the ORM sends them: SQLite's driver takes no time of day, and stores times in UTC as text.
    operations = connection.ops
    if isinstance(value, datetime.datetime):
        return operations.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return operations.adapt_datefield_value(value)
    if isinstance(value, datetime.time):
        return operations.adapt_timefield_value(value)
    return value


def aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A stored time as the ORM gives it: SQLite returns it without its time zone (UTC)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, datetime.UTC)
