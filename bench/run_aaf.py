"""The AAF import benchmark on PostgreSQL: `python -m bench.run_aaf [size knobs] [--keep DIR] [--no-record]`.

1. Generates a Paris-size export (`bench.aaf_generator`: complete + 1 % Delta) in a temporary folder.
2. Creates a dedicated database `ent_bench` on the server of `DATABASE_URL` (never the app's
   database), runs `manage.py migrate`, then, each as a child process:
   - the full import (`manage.py import_aaf <complet>`): wall time, peak memory (RSS) of the child;
   - the same import again, which must change nothing: time and rows written; its files come from
     the cache of parses (`AAF_PARSE_CACHE_DIR`, in the benchmark's folder), as they would for any
     file received again byte for byte;
   - the same import once more with `--reparse`, every file parsed again: the no-op's full path;
   - the Delta import (`manage.py import_aaf <delta>`): time.
   Rows written are the deltas of `tup_inserted + tup_updated + tup_deleted` in `pg_stat_database`
   for `ent_bench` (and per table from `pg_stat_user_tables`, to name the culprits).
3. Drops `ent_bench`, prints a Markdown table against the targets and appends it, with the date and
   the machine, to `docs/performance.md` (unless `--no-record`).

The children run with DEBUG off and without REDIS_URL (Celery tasks run eagerly in-process, so
their cost is measured and no worker of the real stack sees the benchmark's tasks).
Exit status: 0 when every step ran (targets missed or not), 1 when a step failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.aaf_generator import ExportSummary, add_size_arguments, generate, size_options

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "ent_bench"
RECORD = ROOT / "docs" / "performance.md"
MAINTENANCE_DB = "postgres"
STATS_SETTLE_SECONDS = 0.5
STATS_TIMEOUT_SECONDS = 15.0
LOG_TAIL_LINES = 25

# Targets of issue 3 on one 2-core machine.
FULL_SECONDS = 60.0
NOOP_SECONDS = 20.0
DELTA_SECONDS = 5.0
PEAK_MB = 500.0
GENERATION_SECONDS = 60.0

INTRO = """# Performance

## AAF import benchmark

What is measured (issue 3): the directory import `manage.py import_aaf` on PostgreSQL, fed with a
generated Paris-size AAF export in the Ministry's format (`bench/aaf_generator.py`: 100
establishments, 65,000 students, 110,000 relatives, 8,000 staff, plus a Delta export touching 1 %
of the people):

| Measure | Target (one 2-core machine) |
|---|---|
| full import, wall time | < 60 s |
| full import, peak memory (RSS of the import process) | < 500 MB |
| no-op re-import of the same files, wall time | < 20 s |
| no-op re-import, rows written | 0 |
| no-op re-import with every file parsed again (`--reparse`), wall time | < 20 s |
| 1 % Delta import, wall time | < 5 s |

How to run it (the full size takes a few minutes):

```sh
DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent make bench
# smaller, to check the runner:  .venv/bin/python -m bench.run_aaf --schools 10 --students 6500 \\
#     --relatives 11000 --staff 800 --no-record
```

`DATABASE_URL` only names the server: the benchmark creates its own database `ent_bench`, runs
`migrate`, the imports, then drops it; the application's database is never touched. Each import
runs as a child process (`manage.py import_aaf`, DEBUG off, Celery eager): its wall time includes
Django's start-up, its peak memory is the child's maximum RSS (`wait4`), and rows written are the
`tup_inserted + tup_updated + tup_deleted` deltas of `pg_stat_database` for `ent_bench`.
The no-op re-import finds its files in the cache of parses that the full import filled (a file's
parse depends only on its name, its bytes and the code: `annuaire/aaf/parse_cache.py`); the
database side runs in full. The `--reparse` run parses every file again, as a nightly export
whose files all changed would be.
When the connection role is a superuser, PostgreSQL skips the row-level security policies;
production connects as an ordinary role.

Each run appends its table below, with the date, the sizes, the machine and the commit.

## Results
"""


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    peak_mb: float = 0.0
    rows: int = 0
    tables: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # table -> (ins, upd, del)
    output: str = ""


class BenchError(Exception):
    pass


def database_urls(url: str, name: str = BENCH_DB) -> tuple[str, str]:
    """(maintenance URL, URL of the database `name`) on the server of `url`, or BenchError if it is not
    PostgreSQL or names that very database (the one a benchmark drops)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith(("postgres", "pgsql")):
        raise BenchError(
            "The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DB "
            f"(only the server is used; they create their own database {name})."
        )
    if parts.path.lstrip("/") == name:
        raise BenchError(f"DATABASE_URL names {name}, the database the benchmark drops: name another one.")

    def on(database: str, scheme: str) -> str:
        return urlunsplit((scheme, parts.netloc, f"/{database}", parts.query, ""))

    return on(MAINTENANCE_DB, "postgresql"), on(name, parts.scheme)


def create_database(maintenance_url: str, name: str = BENCH_DB) -> None:
    try:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchError(f"Cannot create the database {name} (the role needs CREATEDB): {error}") from error


def drop_database(maintenance_url: str, name: str = BENCH_DB) -> None:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _read_stats(bench_url: str) -> tuple[int, dict[str, tuple[int, int, int]]]:
    bench_conninfo = urlunsplit(("postgresql", *urlsplit(bench_url)[1:]))
    with psycopg.connect(bench_conninfo, autocommit=True) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        row = connection.execute(
            "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = %s", (BENCH_DB,)
        ).fetchone()
        tables = {
            f"{schema}.{name}": (inserted, updated, deleted)
            for schema, name, inserted, updated, deleted in connection.execute(
                "SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
            )
        }
    return (int(row[0]) if row else 0), tables


def settled_stats(bench_url: str) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """The write counters once the last child's backend has flushed them (two equal readings)."""
    deadline = time.monotonic() + STATS_TIMEOUT_SECONDS
    previous = _read_stats(bench_url)
    while True:
        time.sleep(STATS_SETTLE_SECONDS)
        current = _read_stats(bench_url)
        if current == previous or time.monotonic() > deadline:
            return current
        previous = current


def child_environment(bench_url: str, workdir: Path) -> dict[str, str]:
    environment = dict(os.environ)
    for name in ("REDIS_URL", "CACHE_URL"):
        environment.pop(name, None)
    environment.update(
        DATABASE_URL=bench_url,
        DEBUG="False",
        PYTHONUNBUFFERED="1",
        # The benchmark's own cache of parses: it starts empty and goes with the export's folder.
        AAF_PARSE_CACHE_DIR=str(workdir / "aaf-parsed"),
    )
    return environment


def run_child(name: str, arguments: list[str], environment: dict[str, str], logs: Path) -> Step:
    """Run `manage.py <arguments>`; its wall time and peak RSS (wait4 on this very child)."""
    step = Step(name)
    log = logs / f"{name.replace(' ', '-')}.log"
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own manage.py, arguments from this script)
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        step.seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    step.peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    step.output = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        tail = "\n".join(step.output.splitlines()[-LOG_TAIL_LINES:])
        raise BenchError(f"{name}: manage.py {arguments[0]} failed (exit {process.returncode}), log {log}:\n{tail}")
    return step


def measured_import(
    name: str, directory: Path, environment: dict[str, str], logs: Path, bench_url: str, *options: str
) -> Step:
    before, before_tables = settled_stats(bench_url)
    step = run_child(name, ["import_aaf", str(directory), *options], environment, logs)
    after, after_tables = settled_stats(bench_url)
    step.rows = after - before
    for table, counters in after_tables.items():
        previous = before_tables.get(table, (0, 0, 0))
        delta = (counters[0] - previous[0], counters[1] - previous[1], counters[2] - previous[2])
        if any(delta):
            step.tables[table] = delta
            # The run's own history line is a log, not a change of the directory.
            if table.split(".")[-1] in HISTORY_TABLES:
                step.rows -= sum(delta)
    last = [line for line in step.output.splitlines() if line.strip()][-1:] or [""]
    print(f"  {name}: {step.seconds:.1f} s, {step.peak_mb:.0f} MB, {step.rows} rows written. {last[0]}")
    return step


HISTORY_TABLES = {"annuaire_importrun", "annuaire_importrunschool"}

Row = tuple[str, str, str, str]


def _seconds(measure: str, value: float, target: float) -> Row:
    return (measure, f"{value:.1f} s", f"< {target:.0f} s", "met" if value < target else "**missed**")


def _megabytes(measure: str, value: float, target: float) -> Row:
    return (measure, f"{value:.0f} MB", f"< {target:.0f} MB", "met" if value < target else "**missed**")


def _rows(measure: str, value: int, must_be_zero: bool = False) -> Row:
    if not must_be_zero:
        return (measure, f"{value:,}", "", "")
    return (measure, f"{value:,}", "0", "met" if value == 0 else "**missed**")


def table(generation: float, full: Step, noop: Step, reparsed: Step, delta: Step) -> str:
    rows = [
        _seconds("Export generation", generation, GENERATION_SECONDS),
        _seconds("Full import: time", full.seconds, FULL_SECONDS),
        _megabytes("Full import: peak memory", full.peak_mb, PEAK_MB),
        _rows("Full import: rows written", full.rows),
        _seconds("No-op re-import: time", noop.seconds, NOOP_SECONDS),
        _rows("No-op re-import: rows written", noop.rows, must_be_zero=True),
        _megabytes("No-op re-import: peak memory", noop.peak_mb, PEAK_MB),
        _seconds("No-op re-import, every file parsed again (--reparse): time", reparsed.seconds, NOOP_SECONDS),
        _rows("No-op re-import, every file parsed again: rows written", reparsed.rows, must_be_zero=True),
        _megabytes("No-op re-import, every file parsed again: peak memory", reparsed.peak_mb, PEAK_MB),
        _seconds("1 % Delta import: time", delta.seconds, DELTA_SECONDS),
        _rows("1 % Delta import: rows written", delta.rows),
    ]
    lines = ["| Measure | Value | Target | |", "|---|---|---|---|"]
    lines += [f"| {measure} | {value} | {target} | {verdict} |" for measure, value, target, verdict in rows]
    if noop.tables:
        written = ", ".join(f"{name} (+{i} ~{u} -{d})" for name, (i, u, d) in sorted(noop.tables.items()))
        lines += ["", f"Tables written by the no-op re-import (inserted ~updated -deleted): {written}."]
    if reparsed.tables != noop.tables:
        written = ", ".join(f"{name} (+{i} ~{u} -{d})" for name, (i, u, d) in sorted(reparsed.tables.items()))
        lines += ["", f"Tables written by the --reparse re-import (inserted ~updated -deleted): {written}."]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}){memory}"


def server_version(maintenance_url: str) -> str:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


def commit() -> str:
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git from PATH)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"commit {revision}{' + local changes' if dirty else ''}"


def record(entry: str, path: Path = RECORD) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(INTRO, encoding="utf-8")
    with path.open("a", encoding="utf-8") as output:
        output.write(f"\n{entry}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_aaf", description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    parser.add_argument("--keep", metavar="DIR", help="generate the export into DIR and keep it (and the logs)")
    parser.add_argument("--no-record", action="store_true", help=f"do not append the results to {RECORD.name}")
    args = parser.parse_args(argv)
    options = size_options(args)
    if options["delta_percent"] <= 0:
        parser.error("the benchmark measures a Delta import: --delta-percent must be above 0.")
    try:
        maintenance_url, bench_url = database_urls(os.environ.get("DATABASE_URL", ""))
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="aaf-bench-"))
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    succeeded = False
    try:
        print(f"Generating the export in {workdir}…")
        summary: ExportSummary = generate(workdir, **options)
        print("\n".join(f"  {line}" for line in summary.lines()))
        assert summary.delta_dir is not None
        print(f"Creating the database {BENCH_DB} and migrating…")
        create_database(maintenance_url)
        try:
            environment = child_environment(bench_url, workdir)
            migrate = run_child("migrate", ["migrate", "--no-input", "-v", "0"], environment, logs)
            print(f"  migrate: {migrate.seconds:.1f} s")
            full = measured_import("full import", summary.complete_dir, environment, logs, bench_url)
            noop = measured_import("no-op re-import", summary.complete_dir, environment, logs, bench_url)
            reparsed = measured_import(
                "no-op re-import, parsed again", summary.complete_dir, environment, logs, bench_url, "--reparse"
            )
            delta = measured_import("delta import", summary.delta_dir, environment, logs, bench_url)
            version = server_version(maintenance_url)
        finally:
            drop_database(maintenance_url)
        result = table(summary.seconds, full, noop, reparsed, delta)
        print()
        print(result)
        sizes = (
            f"{options['schools']} schools, {options['students']:,} students, {options['relatives']:,} relatives, "
            f"{options['staff']:,} staff, Delta {options['delta_percent']:g} % (seed {options['seed']})"
        )
        now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        entry = f"### {now}: {sizes}\n\n{machine()}; {version}; {commit()}.\n\n{result}"
        if not args.no_record:
            record(entry)
            print(f"\nAppended to {RECORD.relative_to(ROOT)}.")
        succeeded = True
    except BenchError as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            if succeeded:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                print(f"Export and logs kept in {workdir}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
