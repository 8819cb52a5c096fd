"""Timetable benchmark: a year of lessons for a 650-student collège, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent python -m bench.run_timetable

Creates a throwaway database (`ent_bench_timetable`, through Django's test-database
machinery) on the server of `DATABASE_URL`, builds one collège (24 divisions of 27 students,
11 subjects each, one teacher per subject and level), plans its weekly pattern the way the demo
does, then times `generate_lessons` for the whole school year (target: under 5 s) and a second,
no-op generation. Prints a Markdown table and appends it to docs/performance.md.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from typing import Any

BENCH_DB = "ent_bench_timetable"
DIVISIONS_PER_LEVEL = 6
LEVELS = ("6", "5", "4", "3")
STUDENTS_PER_DIVISION = 27  # 24 divisions: 648 students
SUBJECTS = 11
TARGET_SECONDS = 5.0


def build_college(school_year: int) -> Any:
    """One collège with its divisions, students, teachers and teaching assignments, in bulk."""
    from annuaire.models import Division, Membership, Profile, Subject, TeachingAssignment, User
    from schools.models import School

    school = School.objects.create(uai="0750999Z", name="Collège du banc d'essai", kind=School.Kind.COLLEGE)
    subjects = Subject.objects.bulk_create(
        Subject(school=school, code=f"{index:06d}", name=f"Matière {index}") for index in range(SUBJECTS)
    )
    divisions = Division.objects.bulk_create(
        Division(school=school, code=f"{level}{letter}", name=f"{level}e {letter}", school_year=school_year)
        for level in LEVELS
        for letter in "ABCDEF"[:DIVISIONS_PER_LEVEL]
    )
    teachers = User.objects.bulk_create(
        User(username=f"prof.{level}.{index}", last_name=f"Prof{level}{index}")
        for level in LEVELS
        for index in range(SUBJECTS)
    )
    students = User.objects.bulk_create(
        User(username=f"eleve.{division.code}.{index}", last_name=f"Eleve{index}")
        for division in divisions
        for index in range(STUDENTS_PER_DIVISION)
    )
    Membership.objects.bulk_create(
        [Membership(school=school, user=teacher, profile=Profile.TEACHER) for teacher in teachers]
        + [
            Membership(
                school=school, user=student, profile=Profile.STUDENT, division=divisions[i // STUDENTS_PER_DIVISION]
            )
            for i, student in enumerate(students)
        ]
    )
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(
            school=school,
            teacher=teachers[LEVELS.index(division.code[0]) * SUBJECTS + index],
            subject=subject,
            division=division,
        )
        for division in divisions
        for index, subject in enumerate(subjects)
    )
    return school


def run() -> dict[str, float]:
    from django.db import connection

    from schools.tenancy import school_scope
    from vie_scolaire.demo import plan_weekly_lessons
    from vie_scolaire.models import Lesson
    from vie_scolaire.services import generate_lessons

    school_year = 2026
    with school_scope(build_college(school_year)) as school:
        weekly = plan_weekly_lessons(school=school, school_year=school_year, rng=random.Random(1))  # noqa: S311
        started = time.perf_counter()
        first = generate_lessons(school=school, school_year=school_year)
        generation = time.perf_counter() - started
        started = time.perf_counter()
        again = generate_lessons(school=school, school_year=school_year)
        noop = time.perf_counter() - started
        assert first.created == Lesson.objects.filter(school=school).count()
    assert connection.vendor == "postgresql"
    return {
        "weekly": len(weekly),
        "lessons": first.created,
        "generation": generation,
        "noop": noop,
        "noop_written": again.created + again.updated + again.deleted,
    }


def table(figures: dict[str, float]) -> str:
    met = "met" if figures["generation"] < TARGET_SECONDS else "**missed**"
    rows = [
        "| Measure | Value | Target | |",
        "|---|---|---|---|",
        f"| Weekly lessons planned | {figures['weekly']:,.0f} |  |  |",
        f"| Lessons of the year generated | {figures['lessons']:,.0f} |  |  |",
        f"| Year generation: time | {figures['generation']:.2f} s | < {TARGET_SECONDS:.0f} s | {met} |",
        f"| Second generation (nothing to do): time | {figures['noop']:.2f} s |  |  |",
        f"| Second generation: rows written | {figures['noop_written']:,.0f} | 0 | "
        f"{'met' if figures['noop_written'] == 0 else '**missed**'} |",
    ]
    return "\n".join(rows)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "pgsql")):
        print("The timetable benchmark runs on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DB.")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
    import django

    django.setup()
    from django.db import connection

    from bench.run_aaf import commit, machine, record

    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        figures = run()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    finally:
        connection.creation.destroy_test_db(BENCH_DB, verbosity=0)
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    entry = (
        f"### {when}: timetable, a year of lessons for a 650-student collège\n\n"
        f"{machine()}; {server}; {commit()}.\n\n{table(figures)}\n"
    )
    print(entry)
    record(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
