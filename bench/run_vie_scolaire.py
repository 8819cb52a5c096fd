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
HALF_DAYS_TARGET_SECONDS = 1.0
# November of the bench's year: its month of attendance.
MONTH = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
# The desk is read on the last Friday of the month, late in the morning.
DESK_MOMENT = (datetime.date(2026, 11, 27), datetime.time(11, 0))
ABSENT_RATE = 0.03  # of the students expected at a lesson
LATE_RATE = 0.01
CHRONIC_SHARE = 0.03  # of the students: absent from a third of their lessons
CHRONIC_RATE = 0.35
OFFICE_SHARE = 0.06  # of the students: one absence of 1 to 3 days entered by the office


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
    from vie_scolaire.grades.services.grades import ensure_grade_codes
    from vie_scolaire.models import Assessment, Grade, GradeCode, Period

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
    from vie_scolaire.report_cards.services import write_report_cards

    division = Division.objects.filter(school=school).order_by("pk").first()
    run = ReportCardRun.objects.create(school=school, period=term, division=division, total=FULL_DIVISION)
    started = time.perf_counter()
    done = write_report_cards(run=run)
    return time.perf_counter() - started, done.done


def attend_a_month(school: Any, division_ids: list[int], rng: random.Random) -> dict[str, int]:
    """November's roll calls of these divisions: absences (some justified, some refused), lateness,
    a few chronic absentees, and office absences of one to three days; written in bulk."""
    from django.utils import timezone

    from annuaire.models import Membership, Profile
    from vie_scolaire.attendance.services.office import ensure_absence_reasons
    from vie_scolaire.models import Absence, AbsenceReason, Lateness, Lesson, RollCall

    ensure_absence_reasons(school=school)
    reasons = {reason.code: reason.pk for reason in AbsenceReason.objects.filter(school=school)}
    students: dict[int, list[int]] = {}
    for user_id, division_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, division__in=division_ids
    ).values_list("user_id", "division_id"):
        students.setdefault(division_id, []).append(user_id)
    chronic = {student for group in students.values() for student in group if rng.random() < CHRONIC_SHARE}
    lessons = Lesson.objects.filter(
        school=school, date__range=MONTH, cancelled=False, weekly_lesson__divisions__in=division_ids
    ).values_list("pk", "date", "start", "end", "weekly_lesson__divisions")

    def moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, at))

    def reason() -> int | None:
        draw = rng.random()
        return reasons["MALADIE"] if draw < 0.4 else reasons["NON_RECEVABLE"] if draw < 0.5 else None

    roll_calls, absences, lateness = [], [], []
    for lesson_id, day, start, end, division_id in lessons:
        if (day, start) >= (DESK_MOMENT[0], datetime.time(10, 0)) and rng.random() < 0.5:
            continue  # late that morning, half the roll calls are still to take: the desk lists them
        roll_calls.append(RollCall(school=school, lesson_id=lesson_id))
        for student in students.get(division_id, []):
            draw = rng.random()
            if draw < (CHRONIC_RATE if student in chronic else ABSENT_RATE):
                absences.append(
                    Absence(
                        school=school,
                        student_id=student,
                        starts_at=moment(day, start),
                        ends_at=moment(day, end),
                        source=Absence.Source.ROLL_CALL,
                        lesson_id=lesson_id,
                        reason_id=None if student in chronic else reason(),
                    )
                )
            elif draw < ABSENT_RATE + LATE_RATE:
                lateness.append(
                    Lateness(school=school, student_id=student, lesson_id=lesson_id, minutes=rng.randint(2, 20))
                )
    for group in students.values():
        for student in group:
            if rng.random() < OFFICE_SHARE:
                first = MONTH[0] + datetime.timedelta(days=rng.randint(0, 26))
                absences.append(
                    Absence(
                        school=school,
                        student_id=student,
                        starts_at=moment(first, datetime.time(0)),
                        ends_at=moment(first + datetime.timedelta(days=rng.randint(1, 3)), datetime.time(0)),
                        source=Absence.Source.OFFICE,
                        reason_id=reason(),
                    )
                )
    RollCall.objects.bulk_create(roll_calls, batch_size=5000)
    Absence.objects.bulk_create(absences, batch_size=5000)
    Lateness.objects.bulk_create(lateness, batch_size=5000)
    return {"roll_calls": len(roll_calls), "absences": len(absences), "lateness": len(lateness)}


def office_client(school: Any) -> Any:
    """A signed-in member of the vie scolaire office (the office may take or correct any roll call)."""
    from django.test import Client

    from annuaire.models import Membership, Profile, User

    staff = User.objects.create(username="cpe.bench", last_name="CPE")
    Membership.objects.create(school=school, user=staff, profile=Profile.STAFF, functions=["CPE"])
    client = Client()
    client.force_login(staff)
    return client


def page_queries(client: Any, method: str, url: str, data: dict[str, str] | None = None) -> int:
    """The application queries of one request (the row-level-security settings left out)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return sum("set_config('ent.school_ids'" not in query["sql"] for query in captured.captured_queries)


def desk_queries(client: Any, school: Any) -> int:
    """The office desk's queries, read at the bench's moment (a school day of the month)."""
    from unittest import mock

    from django.urls import reverse
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(*DESK_MOMENT))
    # Django's clock, not the project's code: the desk shows "today", here a day of the bench's month.
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return page_queries(client, "get", reverse("attendance:desk", kwargs={"uai": school.uai}))


def roll_call_queries(client: Any, school: Any, division: Any) -> tuple[int, int, int]:
    """A December lesson of the division (no roll call yet): students, the page's and the save's queries."""
    from django.urls import reverse

    from annuaire.models import Membership
    from vie_scolaire.models import Lesson

    lesson = (
        Lesson.objects.filter(school=school, date__gt=MONTH[1], cancelled=False, weekly_lesson__divisions=division)
        .order_by("date", "start")
        .first()
    )
    assert lesson is not None, "the bench's timetable has December lessons"
    students = list(Membership.objects.filter(school=school, division=division).values_list("user_id", flat=True))
    url = reverse("timetable:roll_call", kwargs={"uai": school.uai, "lesson_id": lesson.pk})
    page = page_queries(client, "get", url)
    # The same marks in both divisions: three absent, two late.
    marks = {f"absent-{student}": "on" for student in students[:3]}
    marks |= {f"late-{student}": "5" for student in students[3:5]}
    return len(students), page, page_queries(client, "post", url, marks)


def measure_attendance(school: Any, rng: random.Random) -> dict[str, float]:
    from annuaire.models import Division
    from vie_scolaire.attendance.half_days import count_half_days
    from vie_scolaire.attendance.selectors.office import REFERRAL_THRESHOLD, SERIOUS_THRESHOLD

    divisions = list(Division.objects.filter(school=school).order_by("pk"))
    small, large = divisions[1], divisions[0]  # 27 students, and the full division of 35
    client = office_client(school)
    written = attend_a_month(school, [divisions[1].pk], rng)
    desk_small = desk_queries(client, school)
    more = attend_a_month(school, [d.pk for d in divisions if d.pk != divisions[1].pk], rng)
    desk_large = desk_queries(client, school)
    started = time.perf_counter()
    counts = count_half_days(school=school, first=MONTH[0], last=MONTH[1])
    counting = time.perf_counter() - started
    small_students, small_page, small_save = roll_call_queries(client, school, small)
    large_students, large_page, large_save = roll_call_queries(client, school, large)
    unjustified = [count.half_days_unjustified for count in counts.values()]
    return {
        "roll_calls": written["roll_calls"] + more["roll_calls"],
        "absences": written["absences"] + more["absences"],
        "lateness": written["lateness"] + more["lateness"],
        "counted_students": len(counts),
        "half_days": sum(count.half_days_absent for count in counts.values()),
        "referral": sum(n >= REFERRAL_THRESHOLD for n in unjustified),
        "serious": sum(n >= SERIOUS_THRESHOLD for n in unjustified),
        "counting": counting,
        "desk_small": desk_small,
        "desk_small_absences": written["absences"],
        "desk_large": desk_large,
        "small_students": small_students,
        "large_students": large_students,
        "small_page": small_page,
        "large_page": large_page,
        "small_save": small_save,
        "large_save": large_save,
    }


# The homework book's weeks: one written first, then four more (December).
BOOK_FIRST_WEEK = (datetime.date(2026, 11, 30), datetime.date(2026, 12, 4))
BOOK_MORE_WEEKS = (datetime.date(2026, 12, 5), datetime.date(2027, 1, 8))


def book_clients(school: Any, division: Any) -> dict[str, tuple[Any, str]]:
    """A student of the division, one of its teachers: signed-in clients and the page each reads."""
    from django.test import Client
    from django.urls import reverse

    from annuaire.models import Membership, Profile
    from vie_scolaire.models import WeeklyLessonTeacher

    student = Membership.objects.filter(school=school, division=division, profile=Profile.STUDENT).first()
    teacher = WeeklyLessonTeacher.objects.filter(school=school, weekly_lesson__divisions=division).first()
    assert student is not None and teacher is not None
    # The second week (due dates, workload) and the four weeks up to 18 December (the book): windows where
    # the later weeks add homework and entries.
    day = (BOOK_FIRST_WEEK[0] + datetime.timedelta(days=7)).isoformat()
    pages = {
        "book_student": (student.user, reverse("homework:home", kwargs={"uai": school.uai}) + f"?date={day}"),
        "book_division": (
            teacher.teacher,
            reverse("homework:division", kwargs={"uai": school.uai, "division_id": division.pk})
            + f"?date={(BOOK_FIRST_WEEK[1] + datetime.timedelta(days=14)).isoformat()}",
        ),
        "book_workload": (
            teacher.teacher,
            reverse("homework:workload", kwargs={"uai": school.uai, "division_id": division.pk}) + f"?date={day}",
        ),
    }
    clients = {}
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        clients[name] = (client, url)
    return clients


def read_book_pages(clients: dict[str, tuple[Any, str]], suffix: str) -> dict[str, float]:
    """Each page's queries and its time (the second reading: the per-user caches warm)."""
    figures: dict[str, float] = {}
    for name, (client, url) in clients.items():
        client.get(url)
        started = time.perf_counter()
        figures[f"{name}_{suffix}_queries"] = page_queries(client, "get", url)
        figures[f"{name}_{suffix}_ms"] = (time.perf_counter() - started) * 1000
    return figures


def measure_homework_book(school: Any, rng: random.Random) -> dict[str, float]:
    from annuaire.models import Division
    from cahier_textes.demo import write_book
    from cahier_textes.models import Homework, LessonEntry

    division = Division.objects.filter(school=school).order_by("pk")[1]
    clients = book_clients(school, division)
    write_book(school, *BOOK_FIRST_WEEK, rng)
    figures = read_book_pages(clients, "one")
    figures["book_entries_one"] = LessonEntry.objects.filter(school=school).count()
    figures["book_homework_one"] = Homework.objects.filter(school=school).count()
    write_book(school, *BOOK_MORE_WEEKS, rng)
    figures |= read_book_pages(clients, "five")
    figures["book_entries_five"] = LessonEntry.objects.filter(school=school).count()
    figures["book_homework_five"] = Homework.objects.filter(school=school).count()
    return figures


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
        *attendance_rows(figures),
        *book_rows(figures),
    ]
    return "\n".join(rows)


def attendance_rows(figures: dict[str, float]) -> list[str]:
    counting = verdict(figures["counting"] < HALF_DAYS_TARGET_SECONDS)
    desk = verdict(figures["desk_small"] == figures["desk_large"])
    page = verdict(figures["small_page"] == figures["large_page"])
    save = verdict(figures["small_save"] == figures["large_save"])
    return [
        f"| November: roll calls / absences / lateness | {figures['roll_calls']:,.0f} / "
        f"{figures['absences']:,.0f} / {figures['lateness']:,.0f} |  |  |",
        f"| Half-days of absence of the month ({figures['counted_students']:,.0f} students; "
        f"{figures['referral']:.0f} at 4+ unjustified, {figures['serious']:.0f} at 10+) | "
        f"{figures['half_days']:,.0f} |  |  |",
        f"| Monthly half-day count of the whole school: time | {figures['counting']:.2f} s | "
        f"< {HALF_DAYS_TARGET_SECONDS:.0f} s | {counting} |",
        f"| Office desk: queries with one division's month ({figures['desk_small_absences']:,.0f} absences) / "
        f"the whole school's | {figures['desk_small']:.0f} / {figures['desk_large']:.0f} | the same | {desk} |",
        f"| Roll call page: queries, {figures['small_students']:.0f} / {figures['large_students']:.0f} students | "
        f"{figures['small_page']:.0f} / {figures['large_page']:.0f} | the same | {page} |",
        f"| Roll call save (3 absent, 2 late): queries, {figures['small_students']:.0f} / "
        f"{figures['large_students']:.0f} students | {figures['small_save']:.0f} / {figures['large_save']:.0f} | "
        f"the same | {save} |",
    ]


BOOK_PAGES = {
    "book_student": "A student's homework page (a week)",
    "book_division": "A teacher's book for a division (four weeks)",
    "book_workload": "The division's workload (two weeks)",
}


def book_rows(figures: dict[str, float]) -> list[str]:
    rows = [
        f"| Homework book: entries / homework, one week written, then five | "
        f"{figures['book_entries_one']:,.0f} / {figures['book_homework_one']:,.0f}, then "
        f"{figures['book_entries_five']:,.0f} / {figures['book_homework_five']:,.0f} |  |  |",
    ]
    for name, label in BOOK_PAGES.items():
        one, five = figures[f"{name}_one_queries"], figures[f"{name}_five_queries"]
        rows.append(
            f"| {label}: queries, one week written / five (time) | {one:.0f} / {five:.0f} "
            f"({figures[f'{name}_one_ms']:.0f} / {figures[f'{name}_five_ms']:.0f} ms) | the same | "
            f"{verdict(one == five)} |"
        )
    return rows


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
        f"### {when}: vie scolaire, a 656-student collège: a year of lessons, a term's averages, report cards, "
        "a month of attendance, the homework book\n\n"
        f"{machine()}; {server}; {commit()}.\n\n{table(figures)}\n"
    )
    print(entry)
    record(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
