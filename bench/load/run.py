"""`make load`: the Monday 8:00 load test, from the dataset to the report in docs/performance.md.

1. The dataset: the database `ent_load` on the server DATABASE_URL names, reused when it is
   there (`--rebuild` builds it again): migrated, the demo world seeded, every account given the
   load test's password (one hash for all, written in one UPDATE: this database is the load
   test's own).
2. The portal under gunicorn (deploy/gunicorn.conf.py, production settings, DEBUG off, sessions
   and cache in Redis) with a Celery worker on the Redis broker; the floor views mounted in front
   (bench.load.wsgi).
3. Locust, headless and bounded in time, on loopback: each floor view at saturation (hello,
   calibration), the mix at saturation (its throughput beside the floors'), the mix at the
   sustained Monday rate with think times (latencies and errors), then an overload (the 503s
   with Retry-After, and whether it comes back once the load drops).
4. The report: requests/s, the ratios to both floors, p50/p95/p99, errors, the web processes' and
   PostgreSQL's CPU per request, the slowest endpoints, a PNG chart, the machine and commit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg

from bench.load import PASSWORD
from bench.load.report import CHART, OUT, REPORT, ROOT, Figures, chart, read_figures, report

RAMP_SECONDS = 2
ARRIVALS = 12  # seconds for the sustained phase's 60 users to arrive
SIGN_IN_SECONDS = 3


@dataclass
class Phase:
    name: str
    users: str  # Locust user classes
    count: int
    seconds: int
    think: tuple[float, float]
    # How long the users take to arrive: at once for the saturation phases; for the sustained ones,
    # at five a second, as a Monday's people come in over minutes rather than in the same instant.
    ramp: int = RAMP_SECONDS


def database_url(name: str) -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{name}"))


def admin_connection() -> psycopg.Connection[Any]:
    return psycopg.connect(database_url("postgres"), autocommit=True)


def manage(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


def build_dataset(env: dict[str, str], arguments: argparse.Namespace) -> None:
    """The Paris-scale world (bench.paris.seed, which reuses a finished one), or the demo world."""
    if not arguments.demo:
        command = [sys.executable, "-m", "bench.paris.seed", "--database", arguments.database]
        subprocess.run([*command, "--rebuild"] if arguments.rebuild else command, cwd=ROOT, check=True)  # noqa: S603
        return
    with admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [arguments.database]).fetchone()
        if exists and not arguments.rebuild:
            print(f"dataset: {arguments.database} reused")
            return
        admin.execute(f'DROP DATABASE IF EXISTS "{arguments.database}"')
        admin.execute(f'CREATE DATABASE "{arguments.database}"')
    started = time.monotonic()
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", env=env)
    # One hash for every account, computed once by the portal's own hasher.
    manage("shell", "-c", SET_PASSWORDS, env={**env, "LOAD_PASSWORD": PASSWORD})
    print(f"dataset: {arguments.database} built in {time.monotonic() - started:.0f} s")


SET_PASSWORDS = """
import os
from django.contrib.auth.hashers import make_password
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "UPDATE annuaire_user SET password = %s, activated_at = coalesce(activated_at, now()) WHERE is_active",
        [make_password(os.environ["LOAD_PASSWORD"])],
    )
"""

CAST_QUERIES = {
    "students": """
        SELECT u.username, s.uai, u.id FROM annuaire_membership m
        JOIN annuaire_user u ON u.id = m.user_id JOIN schools_school s ON s.id = m.school_id
        WHERE m.profile = 'student' AND m.active AND u.is_active ORDER BY u.id""",
    "parents": """
        SELECT DISTINCT ON (u.id) u.username, s.uai, g.student_id FROM annuaire_guardianship g
        JOIN annuaire_user u ON u.id = g.guardian_id JOIN schools_school s ON s.id = g.school_id
        WHERE g.legal_representative AND u.is_active ORDER BY u.id, g.student_id""",
}
TEACHERS_SQL = """
    SELECT u.username, s.uai,
           array(SELECT DISTINCT l.id FROM vie_scolaire_lesson l
                 JOIN vie_scolaire_weeklylessonteacher t ON t.weekly_lesson_id = l.weekly_lesson_id
                 WHERE t.teacher_id = u.id AND l.school_id = s.id
                   AND l.date = (now() AT TIME ZONE 'Europe/Paris')::date),
           array(SELECT a.id FROM annuaire_teachingassignment a WHERE a.teacher_id = u.id AND a.school_id = s.id)
    FROM annuaire_membership m JOIN annuaire_user u ON u.id = m.user_id JOIN schools_school s ON s.id = m.school_id
    WHERE m.profile = 'teacher' AND m.active AND u.is_active ORDER BY u.id"""


def write_cast(database: str) -> Path:
    """The people Locust plays, drawn from the dataset's real accounts."""
    cast: dict[str, list[dict[str, Any]]] = {}
    with psycopg.connect(database_url(database)) as connection:
        for profile, query in CAST_QUERIES.items():
            rows = connection.execute(query).fetchall()
            cast[profile] = [{"username": u, "uai": uai, "student": student} for u, uai, student in rows]
        rows = connection.execute(TEACHERS_SQL).fetchall()
        cast["teachers"] = [
            {"username": u, "uai": uai, "lessons": lessons, "assignments": assignments}
            for u, uai, lessons, assignments in rows
        ]
    path = OUT / "cast.json"
    path.write_text(json.dumps(cast))
    print("cast: " + ", ".join(f"{len(people)} {profile}" for profile, people in cast.items()))
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


def warm_up(port: int, seconds: float = 60) -> None:
    """Until the workers have booted and answer the sign-in page quickly, ten times in a row."""
    fast, deadline = 0, time.monotonic() + seconds
    while fast < 10 and time.monotonic() < deadline:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        ok = connection.getresponse().status == 200
        connection.close()
        fast = fast + 1 if ok and time.monotonic() - started < 0.2 else 0


@contextmanager
def services(env: dict[str, str], port: int, workers: int) -> Iterator[psutil.Process]:
    """gunicorn and a Celery worker, stopped at the end; yields gunicorn's master process."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    web_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "",
        # No recycling during a run: the CPU counters follow the same processes throughout.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    commands = {
        "web": [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "bench.load.wsgi:application"],
        "worker": [sys.executable, "-m", "celery", "-A", "ent", "worker", "--concurrency=1", "--loglevel=WARNING"],
    }
    processes = {}
    for name, command in commands.items():
        with (logs / f"{name}.log").open("wb") as log:
            processes[name] = subprocess.Popen(  # noqa: S603 (fixed arguments)
                command, cwd=ROOT, env=web_env if name == "web" else env, stdout=log, stderr=subprocess.STDOUT
            )
    try:
        wait_for(port)
        warm_up(port)
        yield psutil.Process(processes["web"].pid)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)


def cpu_by_process(processes: list[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings, counting what a process started in between used in all
    (a connection's backend that ended in between is not counted: connections are kept open)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def web_processes(master: psutil.Process) -> list[psutil.Process]:
    return [master, *master.children(recursive=True)]


def postgres_processes() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")]


def run_phase(phase: Phase, port: int, cast: Path, master: psutil.Process) -> Figures:
    prefix = OUT / phase.name
    env = {
        **os.environ,
        "LOAD_CAST": str(cast),
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_FLOOR": phase.name.split("-")[0],
        "LOAD_THINK_MIN": str(phase.think[0]),
        "LOAD_THINK_MAX": str(phase.think[1]),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
        "--host", f"http://127.0.0.1:{port}", "-u", str(phase.count), "-r", str(max(1, phase.count // phase.ramp)),
        "-t", f"{phase.seconds}s", "--csv", str(prefix), "--csv-full-history", "--only-summary",
        "--loglevel", "WARNING", "--reset-stats", *phase.users.split(),
    ]  # fmt: skip
    with (OUT / "logs" / f"{phase.name}.log").open("wb") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        # Locust resets its figures once every user is started (--reset-stats); the CPU readings
        # start a little after, once their sign-ins are done, and end with the phase.
        time.sleep(phase.ramp + SIGN_IN_SECONDS)
        web_before, db_before = cpu_by_process(web_processes(master)), cpu_by_process(postgres_processes())
        started = time.monotonic()
        locust.wait()
    web_after, db_after = cpu_by_process(web_processes(master)), cpu_by_process(postgres_processes())
    window = time.monotonic() - started
    web_cores, db_cores = cpu_spent(web_before, web_after) / window, cpu_spent(db_before, db_after) / window
    return read_figures(phase.name, phase.count, prefix, web_cores, db_cores)


def machine(database: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = psutil.virtual_memory().total / 2**30
    with psycopg.connect(database_url(database)) as connection:
        version = connection.execute("SHOW server_version").fetchone()
        settings = connection.execute(
            "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ') FROM pg_settings "
            "WHERE name IN ('shared_buffers', 'work_mem', 'max_connections', 'synchronous_commit')"
        ).fetchone()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    # The run's own outputs (this file's figures, the chart) are not changes to what was measured.
    outputs = [f":!{path.relative_to(ROOT)}" for path in (REPORT, CHART)]
    status = ["git", "status", "--porcelain", "--", ".", *outputs]
    dirty = subprocess.run(status, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 (fixed arguments)
    local = " + local changes" if dirty.stdout.strip() else ""
    return (
        f"{psutil.cpu_count()} CPU ({cpu}), {memory:.1f} GiB RAM; PostgreSQL {version[0] if version else '?'} "
        f"({settings[0] if settings else ''}); commit {commit.stdout.strip()}{local}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again")
    parser.add_argument("--demo", action="store_true", help="the demo world (3 schools) instead of the Paris one")
    parser.add_argument("--database", help="the dataset's database (default ent_load, ent_load_demo with --demo)")
    parser.add_argument("--seconds", type=int, default=45, help="length of each saturation phase")
    parser.add_argument("--users", type=int, default=24, help="users of the saturation phases")
    parser.add_argument("--sustained-users", type=int, default=60, help="users of the sustained mix (think 1-4 s)")
    parser.add_argument("--workers", type=int, default=psutil.cpu_count() or 2, help="gunicorn processes")
    parser.add_argument("--no-record", action="store_true", help="print the report, do not append it")
    arguments = parser.parse_args()
    arguments.database = arguments.database or ("ent_load_demo" if arguments.demo else "ent_load")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("make load runs on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DB.")
    OUT.mkdir(parents=True, exist_ok=True)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(arguments.database),
        "REDIS_URL": redis_url,
        "CACHE_URL": os.environ.get("CACHE_URL", redis_url.rsplit("/", 1)[0] + "/1"),
        "CACHE_PREFIX": "ent-load",
        "SESSION_ENGINE": "django.contrib.sessions.backends.cache",
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
    build_dataset(env, arguments)
    manage("collectstatic", "--no-input", "-v0", env=env)
    cast = write_cast(arguments.database)
    saturation, seconds = arguments.users, arguments.seconds
    phases = [
        Phase("hello", "Floor", saturation, seconds, (0, 0)),
        Phase("calibration", "Floor", saturation, seconds, (0, 0)),
        Phase("mix-saturation", "Student Parent Teacher", saturation, seconds, (0, 0)),
        Phase("mix-sustained", "Student Parent Teacher", arguments.sustained_users, seconds * 2, (1, 4), ARRIVALS),
        Phase("overload", "Student Parent Teacher", saturation * 8, seconds, (0, 0.2)),
        Phase("recovery", "Student Parent Teacher", arguments.sustained_users // 2, seconds, (1, 4), ARRIVALS // 2),
    ]
    port = free_port()
    figures: dict[str, Figures] = {}
    with services(env, port, arguments.workers) as master:
        for phase in phases:
            figures[phase.name] = run_phase(phase, port, cast, master)
            print(f"{phase.name}: {figures[phase.name].rps:.1f} req/s, p95 {figures[phase.name].p95:.0f} ms")
    chart([phase.name for phase in phases])
    world = "demo world (3 schools)" if arguments.demo else "Paris-scale world (96 schools)"
    text = report(figures, world=world, workers=arguments.workers, machine=machine(arguments.database))
    print(text)
    if not arguments.no_record:
        with REPORT.open("a") as performance:
            performance.write("\n" + text)


if __name__ == "__main__":
    main()
