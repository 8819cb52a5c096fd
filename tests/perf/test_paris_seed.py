"""The Paris-scale world's seed, at a tiny size (2 schools, a few hundred people) on PostgreSQL.

The seed runs as the load test will run it (`python -m bench.paris.seed`, its own database), then the
database is read back with plain SQL: the sizes, what the load test needs of every school (students
with a division and lessons today, parents by legal guardianship, teachers with lessons today and
teaching assignments, one password that signs everyone in), and that nothing is left for the
portal's sweeps to catch up on. A second run reuses the world and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from annuaire.hashers import OwaspArgon2PasswordHasher
from bench.load import PASSWORD
from bench.run_aaf import database_urls, drop_database
from tests.conftest import requires_postgres

ROOT = Path(__file__).resolve().parents[2]
SIZES = ["--schools", "2", "--students", "300", "--relatives", "450", "--staff", "40"]

pytestmark = requires_postgres()


def seed(database: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "bench.paris.seed", "--database", database, *SIZES, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[psycopg.Connection[Any], str]]:
    """The tiny world, built once for the module in a database of its own, dropped afterwards."""
    name = f"ent_paris_smoke_{os.getpid()}"
    maintenance_url, url = database_urls(os.environ["DATABASE_URL"], name)
    built = seed(name, "--rebuild")
    try:
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        with psycopg.connect(url) as connection:
            yield connection, built.stdout
    finally:
        drop_database(maintenance_url, name)


def one(connection: psycopg.Connection[Any], query: str, *params: Any) -> Any:
    row = connection.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def test_the_world_has_its_people_and_a_term_of_school_life(world: tuple[psycopg.Connection[Any], str]) -> None:
    connection, output = world
    assert one(connection, "SELECT count(*) FROM schools_school WHERE status = 'open'") == 2
    assert one(connection, "SELECT count(*) FROM annuaire_membership WHERE profile = 'student'") == 300
    assert one(connection, "SELECT complete FROM bench_paris_seed") is True
    tables = {
        "vie_scolaire_lesson": 1_000,
        "vie_scolaire_grade": 5_000,
        "vie_scolaire_rollcall": 1_000,
        "vie_scolaire_absence": 100,
        "cahier_textes_lessonentry": 1_000,
        "cahier_textes_homework": 100,
        "communication_announcement": 10,
        "communication_message": 100,
    }
    for table, least in tables.items():
        assert one(connection, f"SELECT count(*) FROM {table}") >= least, table  # noqa: S608 (names above)
    # Every student of a service is graded on each of its assessments (3 % of them "Abs").
    graded = one(
        connection,
        """SELECT count(*) FROM vie_scolaire_assessment a JOIN annuaire_teachingassignment t ON t.id = a.assignment_id
           JOIN annuaire_membership m ON m.school_id = a.school_id AND m.profile = 'student' AND m.active
           AND (m.division_id = t.division_id OR m.id IN (SELECT membership_id FROM annuaire_groupmembership
                                                          WHERE group_id = t.group_id))""",
    )
    assert one(connection, "SELECT count(*) FROM vie_scolaire_grade") == graded
    # The step times and the rows of each table are printed at the end.
    assert "| total |" in output and "| vie_scolaire_grade |" in output


def test_every_school_has_what_the_load_test_plays(world: tuple[psycopg.Connection[Any], str]) -> None:
    connection, _output = world
    day = one(connection, "SELECT min(date) FROM vie_scolaire_lesson WHERE date >= current_date")
    if day != one(connection, "SELECT current_date"):
        pytest.skip(f"today is not a school day in the world's calendar (next lessons on {day})")
    per_school = connection.execute(
        """SELECT s.uai,
             (SELECT count(*) FROM annuaire_membership m WHERE m.school_id = s.id AND m.profile = 'student'
                AND m.active AND m.division_id IS NOT NULL AND EXISTS (
                  SELECT 1 FROM vie_scolaire_lesson l JOIN vie_scolaire_weeklylessondivision d
                    ON d.weekly_lesson_id = l.weekly_lesson_id
                  WHERE d.division_id = m.division_id AND l.date = current_date)),
             (SELECT count(DISTINCT g.guardian_id) FROM annuaire_guardianship g
                WHERE g.school_id = s.id AND g.legal_representative),
             (SELECT count(DISTINCT t.teacher_id) FROM vie_scolaire_weeklylessonteacher t
                JOIN vie_scolaire_lesson l ON l.weekly_lesson_id = t.weekly_lesson_id
                JOIN annuaire_teachingassignment a ON a.teacher_id = t.teacher_id AND a.school_id = s.id
                WHERE t.school_id = s.id AND l.date = current_date)
           FROM schools_school s ORDER BY s.uai"""
    ).fetchall()
    assert len(per_school) == 2
    for uai, students, parents, teachers in per_school:
        assert students > 50 and parents > 50 and teachers > 3, (uai, students, parents, teachers)
    # The next school days have their lessons too.
    coming = one(
        connection,
        "SELECT count(DISTINCT date) FROM vie_scolaire_lesson WHERE date > current_date AND date <= current_date + 7",
    )
    assert coming >= 4


def test_the_load_tests_cast_signs_in_with_one_password(world: tuple[psycopg.Connection[Any], str]) -> None:
    connection, _output = world
    pytest.importorskip("psutil", reason="the load test's module needs the load extra (pip install -e '.[load]')")
    from bench.load.run import CAST_QUERIES, TEACHERS_SQL

    for profile, query in CAST_QUERIES.items():
        assert len(connection.execute(query).fetchall()) > 100, profile
    teachers = connection.execute(TEACHERS_SQL).fetchall()
    assert sum(1 for _name, _uai, lessons, assignments in teachers if lessons and assignments) > 5
    assert one(connection, "SELECT count(*) FROM annuaire_user WHERE is_active AND activated_at IS NULL") == 0
    assert one(connection, "SELECT count(DISTINCT password) FROM annuaire_user WHERE is_active") == 1
    # The portal's own hasher (the tests' settings sign in with a faster one).
    assert OwaspArgon2PasswordHasher().verify(PASSWORD, one(connection, "SELECT password FROM annuaire_user LIMIT 1"))


def test_nothing_is_left_for_the_sweeps_and_no_row_crosses_schools(world: tuple[psycopg.Connection[Any], str]) -> None:
    connection, _output = world
    owed = {
        "absence notices": """SELECT count(*) FROM vie_scolaire_absence
                              WHERE source = 'roll_call' AND notice_sent_at IS NULL""",
        "grades to tell": """SELECT count(*) FROM vie_scolaire_assessment
                             WHERE published_to_students_on IS NOT NULL AND students_told_at IS NULL""",
        "announcements to fan out": """SELECT count(*) FROM communication_announcement
                                       WHERE status = 'published' AND notified_at IS NULL""",
    }
    for what, query in owed.items():
        assert one(connection, query) == 0, what
    crossing = {
        "grade / assessment": """SELECT count(*) FROM vie_scolaire_grade g
            JOIN vie_scolaire_assessment a ON a.id = g.assessment_id WHERE a.school_id <> g.school_id""",
        "absence / lesson": """SELECT count(*) FROM vie_scolaire_absence b
            JOIN vie_scolaire_lesson l ON l.id = b.lesson_id WHERE l.school_id <> b.school_id""",
        "homework / lesson": """SELECT count(*) FROM cahier_textes_homework h
            JOIN vie_scolaire_lesson l ON l.id = h.due_lesson_id WHERE l.school_id <> h.school_id""",
        "participant / conversation": """SELECT count(*) FROM communication_participant p
            JOIN communication_conversation c ON c.id = p.conversation_id WHERE c.school_id <> p.school_id""",
        "participant / member": """SELECT count(*) FROM communication_participant p WHERE NOT EXISTS (
            SELECT 1 FROM annuaire_membership m WHERE m.user_id = p.user_id AND m.school_id = p.school_id)""",
    }
    for what, query in crossing.items():
        assert one(connection, query) == 0, what


def test_a_second_run_reuses_the_world(world: tuple[psycopg.Connection[Any], str]) -> None:
    connection, _output = world
    name = one(connection, "SELECT current_database()")
    grades = one(connection, "SELECT count(*) FROM vie_scolaire_grade")
    again = seed(name)
    assert again.returncode == 0, again.stderr
    assert "is reused" in again.stdout
    assert one(connection, "SELECT count(*) FROM vie_scolaire_grade") == grades


def test_a_database_the_seed_did_not_build_is_refused() -> None:
    name = f"ent_paris_foreign_{os.getpid()}"
    maintenance_url, _url = database_urls(os.environ["DATABASE_URL"], name)
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        refused = seed(name)
        assert refused.returncode == 2
        assert "did not build it" in refused.stderr
    finally:
        drop_database(maintenance_url, name)
