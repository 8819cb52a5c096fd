"""What one page of the Monday mix costs in-process: ms per request, queries per request, a profile.

Run against the load test's database (`ent_load`, built by `make load`), with the production-like
settings the load test gives gunicorn (DEBUG off, Redis for cache and sessions):

    DJANGO_SETTINGS_MODULE=ent.settings DEBUG=false \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent_load \
    CACHE_URL=redis://127.0.0.1:6379/1 REDIS_URL=redis://127.0.0.1:6379/0 \
    SESSION_ENGINE=django.contrib.sessions.backends.cache PYTHONPATH=. \
    python -m bench.load.profile_page                         # every page of the table below
    python -m bench.load.profile_page --user eleve.demo --page home --profile 30

Each page is read by Django's test client signed in with `force_login` (no sign-in form, no network,
no gunicorn): `--warmup` requests first, then `--requests` timed ones; the queries are counted on
`--count` more requests, apart, so that recording them does not weigh on the timing. `--profile N`
adds a cProfile of the timed requests, its N costliest functions (cumulative time). The figures are
this machine's, shared with whatever else runs: compare runs made one after the other.

Nothing is written to the database but the sessions (in Redis with the settings above).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The accounts of the demo world (`manage.py seed_demo`) the load test's mix plays; in another
# world (the Paris one), the first student with a legal representative, and a teacher of theirs.
STUDENT, PARENT, TEACHER = "eleve.demo", "parent.demo", "prof.martin"
STUDENT_SCHOOL, OTHER_SCHOOL = "0752536Z", "0750680G"
CAST_SQL = """
    SELECT student.username, parent.username, teacher.username, s.uai FROM annuaire_guardianship g
    JOIN annuaire_user student ON student.id = g.student_id JOIN annuaire_user parent ON parent.id = g.guardian_id
    JOIN schools_school s ON s.id = g.school_id
    JOIN annuaire_membership m ON m.user_id = g.student_id AND m.school_id = g.school_id AND m.profile = 'student'
    JOIN annuaire_teachingassignment a ON a.division_id = m.division_id AND a.school_id = g.school_id
    JOIN annuaire_user teacher ON teacher.id = a.teacher_id
    WHERE g.legal_representative ORDER BY g.id, a.id LIMIT 1"""
ROOT = Path(__file__).resolve().parents[2]
RLS_SETTING = "set_config('ent.school_ids'"
CSRF = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]+|(?<="X-CSRFToken": ")[^"]+')


@dataclass
class Page:
    user: str
    name: str
    path: str


def _one(sql: str, *params: Any) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def cast() -> None:
    """The demo world's three people, or the first three of another world's."""
    global STUDENT, PARENT, TEACHER, STUDENT_SCHOOL, OTHER_SCHOOL
    if _one("SELECT id FROM annuaire_user WHERE username = %s", STUDENT):
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CAST_SQL)
        STUDENT, PARENT, TEACHER, STUDENT_SCHOOL = cursor.fetchone()
    OTHER_SCHOOL = STUDENT_SCHOOL


def pages() -> list[Page]:
    """The hottest pages of the mix (bench/load/locustfile.py) for the three people of `cast()`."""
    cast()
    student = _one("SELECT id FROM annuaire_user WHERE username = %s", STUDENT)
    school = f"/{STUDENT_SCHOOL}"
    found = [
        Page(STUDENT, "school home", f"{school}/"),
        Page(STUDENT, "timetable week", f"{school}/emploi-du-temps/"),
        Page(STUDENT, "homework", f"{school}/cahier-de-textes/"),
        Page(STUDENT, "grades", f"{school}/notes/eleves/{student}/"),
        Page(STUDENT, "inbox", f"{school}/messagerie/"),
        Page(STUDENT, "announcements", f"{school}/actualites/"),
        Page(PARENT, "school home", f"{school}/"),
        Page(PARENT, "school home (2nd school)", f"/{OTHER_SCHOOL}/"),
        Page(PARENT, "timetable week", f"{school}/emploi-du-temps/eleves/{student}/"),
        Page(PARENT, "homework", f"{school}/cahier-de-textes/eleves/{student}/"),
        Page(PARENT, "grades", f"{school}/notes/eleves/{student}/"),
        Page(PARENT, "absences", f"{school}/absences/eleves/{student}/"),
        Page(PARENT, "inbox", f"{school}/messagerie/"),
        Page(TEACHER, "school home", f"{school}/"),
        Page(TEACHER, "timetable week", f"{school}/emploi-du-temps/"),
    ]
    teacher_lesson = _one(
        """SELECT l.id FROM vie_scolaire_lesson l
           JOIN vie_scolaire_weeklylessonteacher t ON t.weekly_lesson_id = l.weekly_lesson_id
           JOIN annuaire_user u ON u.id = t.teacher_id JOIN schools_school s ON s.id = l.school_id
           WHERE u.username = %s AND s.uai = %s AND l.date = current_date ORDER BY l.start LIMIT 1""",
        TEACHER,
        STUDENT_SCHOOL,
    )
    if teacher_lesson:
        found.append(Page(TEACHER, "roll call", f"{school}/emploi-du-temps/seances/{teacher_lesson}/appel/"))
    assignment = _one(
        """SELECT a.id FROM annuaire_teachingassignment a JOIN annuaire_user u ON u.id = a.teacher_id
           JOIN schools_school s ON s.id = a.school_id WHERE u.username = %s AND s.uai = %s ORDER BY a.id LIMIT 1""",
        TEACHER,
        STUDENT_SCHOOL,
    )
    if assignment:
        found.append(Page(TEACHER, "grade entry grid", f"{school}/notes/services/{assignment}/"))
    return found


@dataclass
class Measure:
    page: Page
    mean_ms: float
    median_ms: float
    p95_ms: float
    # This process's processor time: the portal's Python side, less sensitive than the wall time
    # to a machine shared with others (the database's time is in the wall time only).
    cpu_ms: float
    queries: float
    # The time spent waiting for the database on the counted requests (every query, the settings' included).
    database_ms: float
    profile: str = ""
    sql: list[str] = field(default_factory=list)


def client_of(username: str) -> Any:
    from django.test import Client

    from annuaire.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def get(client: Any, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")


class QueryTimer:
    """An execute wrapper: each query's text and the time it waited for the database, in milliseconds."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, (time.perf_counter() - started) * 1000))


def save(client: Any, page: Page, folder: Path) -> None:
    """The page's HTML, its CSRF tokens blanked (they change with every request)."""
    folder.mkdir(parents=True, exist_ok=True)
    html = CSRF.sub(b"CSRF", client.get(page.path).content)
    (folder / f"{page.user} {page.name}.html".replace("/", "-")).write_bytes(html)


def measure(
    client: Any, page: Page, *, warmup: int, requests: int, count: int, profile: int, restrict: str = ""
) -> Measure:
    from django.db import connection

    for _ in range(warmup):
        get(client, page.path)
    profiler = cProfile.Profile() if profile else None
    times = []
    cpu_started = time.process_time()
    for _ in range(requests):
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        get(client, page.path)
        times.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.disable()
    cpu_ms = (time.process_time() - cpu_started) * 1000 / requests
    queries = []
    database_ms = []
    sql: list[str] = []
    for _ in range(count):
        timed = QueryTimer()
        with connection.execute_wrapper(timed):
            get(client, page.path)
        # PostgreSQL's row-level-security settings left out, as the query budget tests count.
        sql = [f"({ms:.2f} ms) {text}" for text, ms in timed.queries if RLS_SETTING not in text]
        queries.append(len(sql))
        database_ms.append(sum(ms for _text, ms in timed.queries))
    report = ""
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(*([restrict] if restrict else []), profile)
        report = out.getvalue()
    return Measure(
        page,
        mean_ms=statistics.fmean(times),
        median_ms=statistics.median(times),
        p95_ms=statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0],
        cpu_ms=cpu_ms,
        queries=statistics.fmean(queries) if queries else 0,
        database_ms=statistics.fmean(database_ms) if database_ms else 0,
        profile=report,
        sql=sql,
    )


# Where a request's time goes, by the file each function lives in (exclusive time, first match wins).
PROJECT_APPS = ("annuaire", "cahier_textes", "communication", "ent", "schools", "vie_scolaire")
SERVING = ("contrib", "middleware", "core", "http", "urls")
LAYERS = (
    ("test client", ("/django/test/",)),
    ("templates", ("/django/template/", "/django/templatetags/", "/django/utils/formats.py", "/numberformat.py")),
    ("ORM", ("/django/db/", "/django/utils/tree.py", "/django/utils/deconstruct.py", "/django_scopes/")),
    ("database (driver and wait)", ("/psycopg/", "/psycopg_pool/")),
    (
        "sessions, auth, middleware, routing",
        (*(f"/django/{part}/" for part in SERVING), "/allauth/", "/guardian/", "/whitenoise/", "/redis/"),
    ),
    ("the project's code", tuple(f"{ROOT}/{app}/" for app in PROJECT_APPS)),
)


def layers(profiler: cProfile.Profile) -> dict[str, float]:
    """Each layer's share of the profiled time, the test client's left out (gunicorn has none).

    Built-in functions (getattr, isinstance...) are counted in the layer of whoever called them.
    """
    spent: dict[str, float] = {}

    def layer_of(filename: str) -> str:
        return next((name for name, marks in LAYERS if any(mark in filename for mark in marks)), "other")

    for (filename, _line, _name), (_calls, _primitive, exclusive, _cumulative, callers) in (
        pstats.Stats(profiler).stats.items()  # type: ignore[attr-defined]
    ):
        if filename != "~":
            spent[layer_of(filename)] = spent.get(layer_of(filename), 0.0) + exclusive
            continue
        for (caller_file, _caller_line, _caller_name), by_caller in callers.items():
            spent[layer_of(caller_file)] = spent.get(layer_of(caller_file), 0.0) + by_caller[2]
    spent.pop("test client", None)
    total = sum(spent.values()) or 1.0
    return {name: share / total for name, share in spent.items()}


def breakdown_table(shares: list[tuple[Page, dict[str, float]]]) -> str:
    names = [name for name, _marks in LAYERS[1:]] + ["other"]
    lines = ["| user | page | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for page, share in shares:
        lines.append(
            f"| {page.user} | {page.name} | " + " | ".join(f"{100 * share.get(n, 0):.0f} %" for n in names) + " |"
        )
    return "\n".join(lines)


def profiled(client: Any, page: Page, requests: int) -> cProfile.Profile:
    """The same requests again under cProfile, apart from the timed ones (it slows Python down)."""
    profiler = cProfile.Profile()
    for _ in range(requests):
        profiler.enable()
        get(client, page.path)
        profiler.disable()
    return profiler


def table(measures: list[Measure]) -> str:
    lines = [
        "| user | page | ms/request (mean) | median | p95 | CPU ms/request | queries/request | database ms/request |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in measures:
        lines.append(
            f"| {m.page.user} | {m.page.name} | {m.mean_ms:.1f} | {m.median_ms:.1f} | {m.p95_ms:.1f}"
            f" | {m.cpu_ms:.1f} | {m.queries:g} | {m.database_ms:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", help="only this user's pages (eleve.demo, parent.demo, prof.martin)")
    parser.add_argument("--page", help="only the pages whose name contains this (home, timetable, ...)")
    parser.add_argument("--path", help="read this path instead (with --user)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--count", type=int, default=5, help="requests whose queries are counted")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's N costliest lines")
    parser.add_argument("--only", default="", metavar="REGEX", help="profile lines whose file matches, e.g. /wt-fast/")
    parser.add_argument("--save", metavar="DIR", help="write each page's HTML there (to compare two versions)")
    parser.add_argument("--sql", action="store_true", help="print the queries of the last counted request")
    parser.add_argument(
        "--breakdown", action="store_true", help="each page's time by layer (templates, ORM...), profiled apart"
    )
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
    # WhiteNoise warns that collectstatic never ran: the pages read here serve no static file.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    if arguments.path:
        if not arguments.user:
            parser.error("--path needs --user")
        chosen = [Page(arguments.user, arguments.path, arguments.path)]
    else:
        chosen = [
            page
            for page in pages()
            if (arguments.user is None or page.user == arguments.user)
            and (arguments.page is None or arguments.page in page.name)
        ]
    clients: dict[str, Any] = {}
    measures = []
    shares: list[tuple[Page, dict[str, float]]] = []
    for page in chosen:
        client = clients.setdefault(page.user, client_of(page.user))
        if arguments.save:
            save(client, page, Path(arguments.save))
        found = measure(
            client,
            page,
            warmup=arguments.warmup,
            requests=arguments.requests,
            count=arguments.count,
            profile=arguments.profile,
            restrict=arguments.only,
        )
        measures.append(found)
        if arguments.breakdown:
            shares.append((page, layers(profiled(client, page, arguments.requests))))
        if found.profile:
            print(f"## {page.user} {page.name} ({page.path})\n{found.profile}")
        if arguments.sql:
            print(f"## {page.user} {page.name} ({page.path}): {len(found.sql)} queries")
            print("\n".join(f"{n}. {query}" for n, query in enumerate(found.sql, 1)))
    print(table(measures))
    if shares:
        print("\n" + breakdown_table(shares))


if __name__ == "__main__":
    main()
