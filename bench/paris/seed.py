"""The Paris-scale world on PostgreSQL: `python -m bench.paris.seed [--database ent_load] [--reuse | --rebuild]
[--schools 96 --students 60000 --relatives 100000 --staff 6000 --seed 1]`.

`DATABASE_URL` names the server (postgres://USER@HOST:PORT/DB); the world goes into its own database
(`--database`, `ent_load` by default: the load test's), created for it, never the app's.

1. The database: created, `manage.py migrate`; the table `bench_paris_seed` says who built it and
   whether the build finished.
2. The directory: the benchmark's generated AAF export (`bench.aaf_generator`) imported by the real
   importer (`manage.py import_aaf`): schools, people, divisions, groups, guardianships, teaching
   assignments.
3. Every account activated with the load test's password (one hash, one UPDATE), the schools open.
4. The current term, school by school through the portal's bulk paths (`bench.paris.term`,
   `bench.paris.communication`): calendars and timetables, the term's lessons, grades, roll calls,
   the homework book, announcements and messages; then the planner's statistics (ANALYZE).
5. The time of each step and the rows of each table.

`--reuse` (the default) leaves a database whose build finished as it is; one whose build broke off is
built again; a database this seed did not build is refused unless `--rebuild`, which drops it first.
Exit status: 0 built or reused, 1 a step failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

from bench.aaf_generator import add_size_arguments, generate
from bench.load import PASSWORD
from bench.run_aaf import BenchError, child_environment, commit, create_database, database_urls, machine, run_child

DATABASE = "ent_load"
APP_DATABASE = "ent"
MARKER = "bench_paris_seed"
PARIS = ZoneInfo("Europe/Paris")  # the schools' clock (settings.TIME_ZONE), before Django is set up
SIZES = {"schools": 96, "students": 60_000, "relatives": 100_000, "staff": 6_000}


class Clock:
    """The steps' wall times, printed as they end."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float, dict[str, int]]] = []

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, int]]:
        counts: dict[str, int] = {}
        print(f"{name}…", flush=True)
        started = time.perf_counter()
        yield counts
        seconds = time.perf_counter() - started
        self.steps.append((name, seconds, counts))
        written = ", ".join(f"{count:,} {what}" for what, count in counts.items())
        print(f"  {name}: {seconds:.1f} s{'; ' + written if written else ''}", flush=True)

    def run(self, name: str, work: Callable[[], dict[str, int]]) -> None:
        with self.step(name) as counts:
            counts.update(work())

    @property
    def total(self) -> float:
        return sum(seconds for _name, seconds, _counts in self.steps)


def state_of(maintenance_url: str, url: str, name: str) -> str:
    """absent, complete (this seed finished it), broken (this seed began it) or foreign."""
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            return "absent"
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()
        if found is None or found[0] is None:
            return "foreign"
        row = connection.execute(sql.SQL("SELECT complete FROM {}").format(sql.Identifier(MARKER))).fetchone()
    return "complete" if row and row[0] else "broken"


def begin(url: str, sizes: dict[str, Any], today: datetime.date) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "CREATE TABLE {} (built_for date NOT NULL, sizes jsonb NOT NULL, complete boolean NOT NULL, "
                "built_at timestamptz, lessons_from date, lessons_until date, steps jsonb, rows jsonb)"
            ).format(sql.Identifier(MARKER))
        )
        connection.execute(
            sql.SQL("INSERT INTO {} (built_for, sizes, complete) VALUES (%s, %s, false)").format(
                sql.Identifier(MARKER)
            ),
            [today, json.dumps(sizes)],
        )


def finish(url: str, clock: Clock, rows: dict[str, int], lessons: tuple[datetime.date, datetime.date]) -> None:
    steps = {name: round(seconds, 1) for name, seconds, _counts in clock.steps}
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "UPDATE {} SET complete = true, built_at = now(), lessons_from = %s, lessons_until = %s, "
                "steps = %s, rows = %s"
            ).format(sql.Identifier(MARKER)),
            [*lessons, json.dumps(steps), json.dumps(rows)],
        )


def reused(url: str, name: str, today: datetime.date) -> None:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            sql.SQL("SELECT built_at, built_for, lessons_from, lessons_until, sizes FROM {}").format(
                sql.Identifier(MARKER)
            )
        ).fetchone()
    assert row is not None
    built_at, built_for, first, last, sizes = row
    print(
        f"{name}: the Paris world ({described(sizes)}) built on {built_at:%Y-%m-%d %H:%M %Z} for {built_for} is reused."
    )
    if not first <= today <= last:
        print(f"Its lessons run from {first} to {last}, not today: --rebuild builds it for today.")


def described(sizes: dict[str, Any]) -> str:
    return ", ".join(f"{sizes[name]:,} {name}" for name in SIZES) + f", seed {sizes['seed']}"


def table_rows(url: str) -> dict[str, int]:
    """Exact rows of every table of the world that has any."""
    with psycopg.connect(url) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY relname"
            )
        ]
        counts = {}
        for name in names:
            found = connection.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))).fetchone()
            if found and found[0]:
                counts[name] = int(found[0])
    return counts


def analyze(url: str) -> dict[str, int]:
    """The planner's statistics and the visibility map, as autovacuum would leave them hours later."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    return {}


def setup_django(url: str) -> None:
    """This process's Django on the world's database: DEBUG off, tasks eager, no e-mail leaves."""
    for name in ("REDIS_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="False",
        DJANGO_SETTINGS_MODULE="ent.settings",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    import django

    django.setup()


def build(arguments: argparse.Namespace, maintenance_url: str, url: str, today: datetime.date) -> Clock:
    from schools.years import school_year_of

    clock = Clock()
    school_year = school_year_of(today)
    sizes = {name: getattr(arguments, name) for name in (*SIZES, "seed")}
    with tempfile.TemporaryDirectory(prefix="ent-paris-") as folder:
        workdir = Path(folder)
        logs = workdir / "logs"
        logs.mkdir()
        environment = child_environment(url, workdir)
        with clock.step("database"):
            create_database(maintenance_url, arguments.database)
            begin(url, sizes, today)
            run_child("migrate", ["migrate", "--no-input", "-v", "0"], environment, logs)
        with clock.step("AAF export") as counts:
            export = generate(workdir / "aaf", **sizes, delta_percent=0, date=f"{school_year}0901")
            counts.update(export.counts)
        with clock.step("AAF import"):
            run_child("import_aaf", ["import_aaf", str(export.complete_dir)], environment, logs)
    setup_django(url)
    from bench.paris import communication, term

    clock.run("accounts", lambda: term.activate_everyone(PASSWORD))
    with clock.step("timetables") as counts:
        moment, written = term.write_timetables(today, school_year, arguments.seed)
        counts.update(written)
    print(f"  {moment.describe()}")
    for name, step in (
        ("grades", term.write_grades),
        ("attendance", term.write_attendance),
        ("homework book", term.write_homework_book),
        ("announcements", communication.write_announcements),
        ("messages", communication.write_messages),
    ):
        clock.run(name, lambda step=step: step(moment, arguments.seed))  # type: ignore[misc]
    from django.db import connections

    connections.close_all()
    clock.run("statistics (VACUUM ANALYZE)", lambda: analyze(url))
    rows = table_rows(url)
    finish(url, clock, rows, (moment.lessons_from, moment.lessons_until))
    report(clock, rows, sizes)
    return clock


def report(clock: Clock, rows: dict[str, int], sizes: dict[str, Any]) -> None:
    print()
    print(f"Paris world ({described(sizes)}): {clock.total:.0f} s on {machine()}, {commit()}.")
    print()
    print("| Step | Time |")
    print("|---|---|")
    for name, seconds, _counts in clock.steps:
        print(f"| {name} | {seconds:.1f} s |")
    print(f"| total | {clock.total:.1f} s |")
    print()
    print("| Table | Rows |")
    print("|---|---|")
    for name, count in sorted(rows.items(), key=lambda item: -item[1]):
        print(f"| {name} | {count:,} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paris.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE, help=f"the world's database (default {DATABASE})")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--reuse", action="store_true", help="leave a finished world as it is (the default)")
    choice.add_argument("--rebuild", action="store_true", help="drop the database and build the world again")
    add_size_arguments(parser, delta=False)
    parser.set_defaults(**SIZES)
    arguments = parser.parse_args(argv)
    server = os.environ.get("DATABASE_URL", "")
    name = arguments.database
    if name in (APP_DATABASE, urlsplit(server).path.lstrip("/")):
        parser.error(f"{name} is the application's database: the world goes into a database of its own.")
    try:
        maintenance_url, url = database_urls(server, name)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    today = datetime.datetime.now(PARIS).date()
    state = state_of(maintenance_url, url, name)
    if state == "complete" and not arguments.rebuild:
        reused(url, name, today)
        return 0
    if state == "foreign" and not arguments.rebuild:
        print(
            f"{name} exists and this seed did not build it: --rebuild drops it and builds the world.", file=sys.stderr
        )
        return 2
    if state == "broken":
        print(f"{name}: an earlier build broke off; building again.")
    try:
        build(arguments, maintenance_url, url, today)
    except BenchError as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
