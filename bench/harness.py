"""What the Django benchmarks on PostgreSQL share: the check of DATABASE_URL, a throwaway database,
the application queries of one request, a verdict per target, and the entry they record."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from typing import Any


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def on_postgres(benchmark: str) -> bool:
    """Whether DATABASE_URL names a PostgreSQL server; says how to name one when it does not."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres", "pgsql")):
        return True
    print(f"The {benchmark} benchmark runs on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DB.")
    return False


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
    import django

    django.setup()


def run_in_throwaway_database(name: str, run: Callable[[], dict[str, float]]) -> tuple[dict[str, float], str]:
    """`run()` in a database made for it by Django's test-database machinery, dropped afterwards;
    with the server's version."""
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        figures = run()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    return figures, server


def page_queries(client: Any, method: str, url: str, data: dict[str, str] | None = None) -> int:
    """The application queries of one request (the row-level-security settings left out)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return sum("set_config('ent.school_ids'" not in query["sql"] for query in captured.captured_queries)


def record_entry(title: str, server: str, table: str) -> None:
    """Print the run's entry (its title, the machine, the server, the commit, the table) and add it
    to docs/performance.md."""
    from bench.run_aaf import commit, machine, record

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    entry = f"### {when}: {title}\n\n{machine()}; {server}; {commit()}.\n\n{table}\n"
    print(entry)
    record(entry)
