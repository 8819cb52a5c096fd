"""Vie scolaire benchmark on a 650-student collège, on PostgreSQL: a year of lessons, a period's averages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent python -m bench.run_vie_scolaire

Creates a throwaway database (`ent_bench_vie_scolaire`, through Django's test-database
machinery) on the server of `DATABASE_URL`, builds one collège (24 divisions of 27 students, the
first one of 35, 11 subjects each, one teacher per subject and level), plans its weekly pattern
the way the demo does, then times `generate_lessons` for the whole school year (target: under
5 s) and a second, no-op generation; then gives every service 5 graded assessments in a term
and times every average of the period (target: under 2 s) and the 35 report cards of the full
division as PDFs (target: under 60 s). Prints a Markdown table and appends it to
docs/performance.md.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import tempfile
import time
from typing import Any

BENCH_DB = "ent_bench_vie_scolaire"
DIVISIONS_PER_LEVEL = 6
LEVELS = ("6", "5", "4", "3")
STUDENTS_PER_DIVISION = 27  # 24 divisions: 648 students, and 8 more in the full one
# The first division is a full one: its report cards are the PDFs timed.
FULL_DIVISION = 35
SUBJECTS = 11
TARGET_SECONDS = 5.0
AVERAGES_TARGET_SECONDS = 2.0
PDF_TARGET_SECONDS = 60.0
ASSESSMENTS_PER_SERVICE = 5


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
    seats = [(division, index) for division in divisions for index in range(STUDENTS_PER_DIVISION)]
    seats += [(divisions[0], index) for index in range(STUDENTS_PER_DIVISION, FULL_DIVISION)]
    students = User.objects.bulk_create(
        User(username=f"eleve.{division.code}.{index}", last_name=f"Eleve{index}") for division, index in seats
    )
    Membership.objects.bulk_create(
        [Membership(school=school, user=teacher, profile=Profile.TEACHER) for teacher in teachers]
        + [
            Membership(school=school, user=student, profile=Profile.STUDENT, division=division)
            for student, (division, _index) in zip(students, seats, strict=True)
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


def grade_a_term(school: Any, school_year: int, rng: random.Random) -> Any:
    """Five assessments per service in the first term, every student graded (some codes)."""
    from decimal import Decimal

    from annuaire.models import Membership, Profile, TeachingAssignment
    from vie_scolaire.models import Assessment, Grade, GradeCode, Period
    from vie_scolaire.services_grades import ensure_grade_codes

    term = Period.objects.create(
        school=school,
        school_year=school_year,
        name="1er trimestre",
        first_day=datetime.date(school_year, 9, 1),
        last_day=datetime.date(school_year, 11, 30),
    )
    ensure_grade_codes(school=school)
    absent = GradeCode.objects.get(school=school, code="Abs")
    students: dict[int, list[int]] = {}
    for user_id, division_id in Membership.objects.filter(school=school, profile=Profile.STUDENT).values_list(
        "user_id", "division_id"
    ):
        students.setdefault(division_id, []).append(user_id)
    assessments = Assessment.objects.bulk_create(
        Assessment(
            school=school,
            assignment=assignment,
            period=term,
            title=f"Devoir {index}",
            date=datetime.date(school_year, 10, 1 + index),
            scale=rng.choice((20, 10)),
            coefficient=Decimal(rng.choice((1, 2))),
        )
        for assignment in TeachingAssignment.objects.filter(school=school)
        for index in range(ASSESSMENTS_PER_SERVICE)
    )

    def grade(assessment: Assessment, student_id: int) -> Grade:
        if rng.random() < 0.03:
            return Grade(school=school, assessment=assessment, student_id=student_id, code=absent)
        value = Decimal(rng.randint(0, assessment.scale * 2)) / 2
        return Grade(school=school, assessment=assessment, student_id=student_id, value=value)

    Grade.objects.bulk_create(
        (
            grade(assessment, student_id)
            for assessment in assessments
            for student_id in students[assessment.assignment.division_id]
        ),
        batch_size=5000,
    )
    return term


def time_report_cards(school: Any, term: Any, requested_by: Any) -> tuple[float, int]:
    """The full division's report cards, written as the task writes them (weasyprint needs Pango)."""
    from annuaire.models import Division
    from vie_scolaire.models import ReportCardRun
    from vie_scolaire.services_report_cards import write_report_cards

    division = Division.objects.filter(school=school).order_by("pk").first()
    run = ReportCardRun.objects.create(school=school, period=term, division=division, total=FULL_DIVISION)
    started = time.perf_counter()
    done = write_report_cards(run=run)
    return time.perf_counter() - started, done.done


def run() -> dict[str, float]:
    from django.db import connection

    from schools.tenancy import school_scope
    from vie_scolaire.demo import plan_weekly_lessons
    from vie_scolaire.models import Grade, Lesson
    from vie_scolaire.selectors_grades import period_averages
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
        term = grade_a_term(school, school_year, random.Random(2))  # noqa: S311
        started = time.perf_counter()
        averages = period_averages(school, term)
        averaging = time.perf_counter() - started
        graded = Grade.objects.filter(school=school).count()
        pdf_seconds, pdfs = time_report_cards(school, term, requested_by=None)
    assert connection.vendor == "postgresql"
    return {
        "weekly": len(weekly),
        "lessons": first.created,
        "generation": generation,
        "noop": noop,
        "noop_written": again.created + again.updated + again.deleted,
        "grades": graded,
        "subject_averages": len(averages.subjects),
        "averaging": averaging,
        "pdf_seconds": pdf_seconds,
        "pdfs": pdfs,
    }


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def table(figures: dict[str, float]) -> str:
    generation = verdict(figures["generation"] < TARGET_SECONDS)
    noop = verdict(figures["noop_written"] == 0)
    averaging = verdict(figures["averaging"] < AVERAGES_TARGET_SECONDS)
    pdfs = verdict(figures["pdfs"] == FULL_DIVISION and figures["pdf_seconds"] < PDF_TARGET_SECONDS)
    rows = [
        "| Measure | Value | Target | |",
        "|---|---|---|---|",
        f"| Weekly lessons planned | {figures['weekly']:,.0f} |  |  |",
        f"| Lessons of the year generated | {figures['lessons']:,.0f} |  |  |",
        f"| Year generation: time | {figures['generation']:.2f} s | < {TARGET_SECONDS:.0f} s | {generation} |",
        f"| Second generation (nothing to do): time | {figures['noop']:.2f} s |  |  |",
        f"| Second generation: rows written | {figures['noop_written']:,.0f} | 0 | {noop} |",
        f"| Grades of the term | {figures['grades']:,.0f} |  |  |",
        f"| Every average of the term ({figures['subject_averages']:,.0f} subject averages, 656 general): time | "
        f"{figures['averaging']:.2f} s | < {AVERAGES_TARGET_SECONDS:.0f} s | {averaging} |",
        f"| Report cards of a {FULL_DIVISION}-student division ({figures['pdfs']:.0f} PDFs): time | "
        f"{figures['pdf_seconds']:.1f} s | < {PDF_TARGET_SECONDS:.0f} s | {pdfs} |",
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
    from django.conf import settings
    from django.db import connection

    from bench.run_aaf import commit, machine, record

    # The report cards' PDFs go to a throwaway folder, not to the portal's media.
    media = tempfile.TemporaryDirectory(prefix="ent-bench-media-")
    settings.MEDIA_ROOT = media.name

    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        figures = run()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    finally:
        connection.creation.destroy_test_db(BENCH_DB, verbosity=0)
        media.cleanup()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    entry = (
        f"### {when}: vie scolaire, a 656-student collège: a year of lessons, a term's averages, report cards\n\n"
        f"{machine()}; {server}; {commit()}.\n\n{table(figures)}\n"
    )
    print(entry)
    record(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
