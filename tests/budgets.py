"""Query budgets that hold on SQLite and on PostgreSQL alike.

On PostgreSQL every tenancy scope entered and left sets the row-level-security setting
(`set_config('ent.school_ids', ...)`): a fixed number per page, none on SQLite. Budgets
count the application's own queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

RLS_SETTING = "set_config('ent.school_ids'"


def application_queries(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if RLS_SETTING not in query["sql"]]


@contextmanager
def max_queries(budget: int) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than `budget` application queries."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    queries = application_queries(captured)
    assert len(queries) <= budget, f"{len(queries)} queries, budget {budget}:\n" + "\n".join(queries)
