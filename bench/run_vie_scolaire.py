"""Vie scolaire benchmark on a 650-student collège, on PostgreSQL: a year of lessons, a period's averages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent python -m bench.run_vie_scolaire

Creates a throwaway database (`ent_bench_vie_scolaire`, through Django's test-database
machinery) on the server of `DATABASE_URL`, builds one collège (24 divisions of 27 students, the
first one of 35, 11 subjects each, one teacher per subject and level), plans its weekly pattern
the way the demo does, then times `generate_lessons` for the whole school year (target: under
5 s) and a second, no-op generation; then gives every service 5 graded assessments in a term
and times every average of the period (target: under 2 s) and the 35 report cards of the full
division as PDFs (target: under 60 s). Then a month of attendance (November: every lesson's
roll call with absences and lateness, a few chronic absentees, office absences spanning days,
some justified) and: the monthly half-day count of the whole school (target: under 1 s), the
office desk's queries with one division's attendance and with the whole school's (the same), the
roll call page's and save's queries for a 27- and a 35-student division (the same). Last, the
homework book: a student's homework page, a teacher's book for a division and the division's
workload, with one week of entries and homework, then with five (the same queries, and their time).
Prints a Markdown table and appends it to docs/performance.md.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time

from bench.college.attendance import attendance_rows, measure_attendance
from bench.college.build import FULL_DIVISION, build_college, grade_a_term, time_report_cards
from bench.college.homework_book import book_rows, measure_homework_book
from bench.harness import on_postgres, record_entry, run_in_throwaway_database, setup_django, verdict

BENCH_DB = "ent_bench_vie_scolaire"
TARGET_SECONDS = 5.0
AVERAGES_TARGET_SECONDS = 2.0
PDF_TARGET_SECONDS = 60.0


def run() -> dict[str, float]:
    from django.db import connection

    from schools.tenancy import school_scope
    from vie_scolaire.demo import plan_weekly_lessons
    from vie_scolaire.grades.selectors.divisions import period_averages
    from vie_scolaire.models import Grade, Lesson
    from vie_scolaire.timetable.services import generate_lessons

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
        # The month's attendance comes before the report cards: they print its half-days.
        attendance = measure_attendance(school, random.Random(3))  # noqa: S311
        pdf_seconds, pdfs = time_report_cards(school, term, requested_by=None)
        book = measure_homework_book(school, random.Random(4))  # noqa: S311
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
        **attendance,
        **book,
    }


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
        *attendance_rows(figures),
        *book_rows(figures),
    ]
    return "\n".join(rows)


def main() -> int:
    if not on_postgres("timetable"):
        return 2
    setup_django()
    from django.conf import settings

    # The report cards' PDFs go to a throwaway folder, not to the portal's media.
    media = tempfile.TemporaryDirectory(prefix="ent-bench-media-")
    settings.MEDIA_ROOT = media.name
    try:
        figures, server = run_in_throwaway_database(BENCH_DB, run)
    finally:
        media.cleanup()
    record_entry(
        "vie scolaire, a 656-student collège: a year of lessons, a term's averages, report cards, "
        "a month of attendance, the homework book",
        server,
        table(figures),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
