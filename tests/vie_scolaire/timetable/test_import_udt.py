"""The UDT (UnDeuxTemps) CSV import, on a file we built from the documented columns."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from annuaire.models import TeachingGroup
from schools.models import School
from schools.tenancy import cross_school
from tests.factories import UserFactory
from tests.vie_scolaire.timetable.timetable_support import (
    OWN_FIXTURES,
    assert_dry_run_then_idempotent,
    row_counts,
    school,
    teacher,
)
from vie_scolaire.models import Absence, Lesson, TimeSlot, WeeklyLesson
from vie_scolaire.timetable.imports.importer import import_timetable

UDT = OWN_FIXTURES / "udt" / "udt_0750680G.csv"
TODAY = datetime.date(2025, 9, 1)  # school year 2025: the default calendar starts that Monday
TEACHERS = [
    ("Martin", "Sophie"),
    ("Durand", "Pierre"),
    ("Bernard", "Luc"),
    ("Lefevre Noel", "Emilie"),  # the file writes LEFÈVRE-NOËL Émilie
    ("Moreau", "Julie"),
    ("Petit", "Anne"),
    ("Roux", "Marc"),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _across_schools():  # type: ignore[no-untyped-def]
    # The assertions read what the import wrote, as the city console would: across schools.
    with cross_school():
        yield


@pytest.fixture
def college() -> School:
    target = school("0750680G")
    for last_name, first_name in TEACHERS:
        teacher(target, last_name, first_name)
    return target


def lesson(subject: str, **filters: object) -> WeeklyLesson:
    return WeeklyLesson.unscoped.get(subject__code=subject, **filters)


def test_the_file_imports_as_nine_weekly_lessons(college):
    report = import_timetable(school=college, paths=[UDT], today=TODAY)

    assert not report.refused, report.errors
    assert report.counts["weekly_lessons_created"] == WeeklyLesson.unscoped.filter(source="udt").count() == 9
    assert set(TimeSlot.unscoped.values_list("code", flat=True)) == {"8H", "8H30", "9H", "10H", "14H", "15H"}
    # Two lines of one hour make one lesson of two.
    maths = lesson("MATHS")
    assert (maths.weekday, maths.start, maths.end, maths.room.code) == (1, datetime.time(8), datetime.time(10), "101")
    assert (lesson("EPS").start, lesson("EPS").end) == (datetime.time(8), datetime.time(10))
    assert lesson("EDMUS").start == datetime.time(8, 30)
    # Accents and hyphens do not stop the match.
    assert [user.last_name for user in lesson("ANGL1").teachers.all()] == ["Lefevre Noel"]
    # A co-taught lesson is one lesson with both teachers.
    assert sorted(user.last_name for user in lesson("TECHN").teachers.all()) == ["Petit", "Roux"]
    # The regroupement is one group gathering both divisions.
    latin = lesson("LATIN")
    assert [group.code for group in latin.groups.all()] == ["LATIN6"]
    assert latin.divisions.count() == 0
    latin_group = TeachingGroup.unscoped.get(code="LATIN6", school_year=2025)
    assert sorted(division.code for division in latin_group.divisions.all()) == ["6A", "6B"]


def test_q1_and_q2_are_weeks_a_and_b(college):
    import_timetable(school=college, paths=[UDT], today=TODAY)

    week_a = lesson("SVT", groups__code="6A_G1")
    week_b = lesson("SVT", groups__code="6A_G2")
    assert (week_a.week_pattern, week_b.week_pattern) == ("A", "B")
    dates_a = list(Lesson.unscoped.filter(weekly_lesson=week_a).values_list("date", flat=True))
    dates_b = list(Lesson.unscoped.filter(weekly_lesson=week_b).values_list("date", flat=True))
    assert dates_a[:2] == [datetime.date(2025, 9, 2), datetime.date(2025, 9, 16)]
    assert dates_b[:2] == [datetime.date(2025, 9, 9), datetime.date(2025, 9, 23)]
    every_week = Lesson.unscoped.filter(weekly_lesson=lesson("MATHS")).count()
    assert len(dates_a) + len(dates_b) == every_week


def test_a_second_import_writes_nothing_and_a_dry_run_writes_nothing(college):
    assert_dry_run_then_idempotent(college, [UDT], TODAY)


def test_the_same_file_in_utf8_gives_the_same_timetable(college, tmp_path):
    utf8 = tmp_path / "udt.csv"
    utf8.write_text(UDT.read_bytes().decode("cp1252"), encoding="utf-8")
    import_timetable(school=college, paths=[UDT], today=TODAY)

    report = import_timetable(school=college, paths=[utf8], today=TODAY)

    assert report.rows_written == 0, report.counts


def test_every_rejected_row_is_reported_with_file_line_and_reason(college, tmp_path):
    broken = tmp_path / "udt.csv"
    lines = UDT.read_bytes().decode("cp1252").splitlines()
    lines[1] = lines[1].replace("Lundi", "Lundo")
    lines[3] = lines[3].replace("10H", "25H")
    lines[4] = lines[4].replace("Q1", "Q3")
    lines[7] = lines[7].replace("MOREAU Julie", "INCONNU Paul")
    broken.write_text("\r\n".join(lines), encoding="cp1252")

    report = import_timetable(school=college, paths=[broken], today=TODAY)

    assert report.refused
    assert report.errors == [
        "udt.csv, ligne 2 : jour impossible : « Lundo » (attendu de 1 à 7).",
        "udt.csv, ligne 4 : heure impossible : « 25H ».",
        "udt.csv, ligne 5 : fréquence « Q3 » inconnue (H, Q1, Q2, A ou B attendu).",
        "udt.csv, ligne 8 : enseignant inconnu dans l'établissement : INCONNU Paul (1 cours).",
    ]
    assert row_counts()["WeeklyLesson"] == 0


def test_an_unknown_teacher_is_named_with_the_first_line_citing_them(college, tmp_path):
    broken = tmp_path / "udt.csv"
    broken.write_bytes(UDT.read_bytes().replace(b"MOREAU Julie", b"INCONNU Paul"))

    report = import_timetable(school=college, paths=[broken], today=TODAY)

    assert report.refused
    assert report.errors == ["udt.csv, ligne 8 : enseignant inconnu dans l'établissement : INCONNU Paul (1 cours)."]


def test_a_csv_without_the_udt_header_is_refused(college, tmp_path):
    other = tmp_path / "export.csv"
    other.write_text("Nom;Prénom;Classe\r\nMARTIN;Sophie;6A\r\n", encoding="utf-8")

    report = import_timetable(school=college, paths=[other], today=TODAY)

    assert report.refused
    assert report.errors[0].startswith("export.csv, ligne 1 : format inconnu")


def test_a_dropped_lesson_keeps_its_past_with_its_absences_and_comes_back_if_listed_again(college, tmp_path):
    import_timetable(school=college, paths=[UDT], today=TODAY)
    french = lesson("FRANC")
    past = Lesson.unscoped.get(weekly_lesson=french, date=datetime.date(2025, 9, 8))
    moment = timezone.make_aware(datetime.datetime.combine(past.date, past.start))
    absence = Absence.unscoped.create(
        school=college, student=UserFactory(), lesson=past, source="roll_call",
        starts_at=moment, ends_at=moment + datetime.timedelta(hours=1),
    )  # fmt: skip
    without_french = tmp_path / "udt.csv"
    lines = UDT.read_bytes().decode("cp1252").splitlines()
    without_french.write_text("\r\n".join(line for line in lines if ";FRANC;" not in line), encoding="cp1252")
    later = datetime.date(2025, 10, 6)

    report = import_timetable(school=college, paths=[without_french], today=later)

    french.refresh_from_db()
    assert report.counts["weekly_lessons_retired"] == 1 and french.retired_from == later + datetime.timedelta(days=1)
    dates = list(Lesson.unscoped.filter(weekly_lesson=french).values_list("date", flat=True))
    assert dates and max(dates) <= later and datetime.date(2025, 9, 8) in dates
    assert Absence.unscoped.filter(pk=absence.pk).exists()
    assert import_timetable(school=college, paths=[without_french], today=later).rows_written == 0

    report = import_timetable(school=college, paths=[UDT], today=later)

    french.refresh_from_db()
    assert french.retired_from is None
    assert Lesson.unscoped.filter(weekly_lesson=french, date__gt=later).count() == report.counts["lessons_created"] > 0
