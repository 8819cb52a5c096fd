"""The STS-Web import on ENT-NG's eight cases (sts_emp + emp_sts pairs), and on bad files."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annuaire.models import Division, GroupDivision, Subject, TeachingAssignment, TeachingGroup
from schools.tenancy import cross_school
from tests.vie_scolaire.timetable.timetable_support import TIMETABLE, row_counts, school, teacher
from vie_scolaire.models import Lesson, WeeklyLesson
from vie_scolaire.timetable.imports.importer import import_timetable

STS = TIMETABLE / "sts-web" / "open-ent-ng-edt"
UAI = "0771991W"
TODAY = datetime.date(2025, 1, 6)  # case8's 2019 week is past, the 2099 weeks are not

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not STS.is_dir(), reason=f"the STS-Web samples are not at {STS}"),
]


@pytest.fixture(autouse=True)
def _across_schools():  # type: ignore[no-untyped-def]
    # The assertions read what the import wrote, as the city console would: across schools.
    with cross_school():
        yield


def pair(case: str) -> list[Path]:
    return [STS / case / "sts_emp.xml", STS / case / "emp_sts.xml"]


@pytest.fixture
def college():  # type: ignore[no-untyped-def]
    """Collège Louis Aragon, whose export the cases are, with its two teachers named DOE."""
    target = school(UAI)
    teacher(target, "Doe", "Jane", datetime.date(1980, 1, 1))
    teacher(target, "DOE", "John", datetime.date(1970, 1, 1))
    return target


def occurrences() -> list[tuple[str, datetime.date, datetime.time, datetime.time, str]]:
    lessons = Lesson.unscoped.select_related("weekly_lesson__subject", "room").order_by("date")
    return [
        (lesson.weekly_lesson.subject.code, lesson.date, lesson.start, lesson.end, lesson.room.code)
        for lesson in lessons
    ]


def sept(*days: int) -> list[datetime.date]:
    return [datetime.date(2099, 9, day) for day in days]


# case: (audience kind and code, start, end, room, dates) as the ENT-NG Java tests expect them.
CASES = {
    "case1": ("division", "3A", datetime.time(14, 2), datetime.time(15, 2), "15", sept(3)),
    "case2": ("group", "3B_G2", datetime.time(15, 13), datetime.time(16, 13), "23", sept(3)),
    "case3": ("division", "3A", datetime.time(14, 2), datetime.time(15, 2), "15", sept(3, 10)),
    "case4": ("group", "3B_G2", datetime.time(15, 13), datetime.time(16, 13), "23", sept(3, 10)),
    "case5": ("division", "3A", datetime.time(14, 2), datetime.time(15, 2), "15", sept(3, 17)),
    "case6": ("group", "3B_G2", datetime.time(15, 13), datetime.time(16, 13), "23", sept(3, 17)),
    "case8": ("division", "3A", datetime.time(14, 2), datetime.time(15, 2), "15", sept(10)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_gives_the_expected_lessons(college, case):
    kind, audience, start, end, room, dates = CASES[case]
    report = import_timetable(school=college, paths=pair(case), today=TODAY)

    assert not report.refused, report.errors
    weekly = WeeklyLesson.unscoped.get()
    assert (weekly.weekday, weekly.start, weekly.end, weekly.room.code) == (4, start, end, room)
    assert weekly.week_pattern == "weeks"
    assert [teacher.first_name for teacher in weekly.teachers.all()] == ["Jane"]
    if kind == "division":
        assert [division.code for division in weekly.divisions.all()] == [audience]
        assert weekly.groups.count() == 0
    else:
        group = weekly.groups.get()
        assert group.code == audience
        # The group's division (3B) is created with it, from DIVISIONS_APPARTENANCE.
        assert [division.code for division in group.divisions.all()] == ["3B"]
    assert occurrences() == [("020700", day, start, end, room) for day in dates]
    assert report.counts["lessons_created"] == len(dates)


def test_a_course_in_a_past_week_keeps_its_week_but_gets_no_occurrence(college):
    import_timetable(school=college, paths=pair("case8"), today=TODAY)

    # 2019-09-02 is a Monday already; 2099-09-10 (a Thursday) is in the week of Monday 09-07.
    assert WeeklyLesson.unscoped.get().weeks == ["2019-09-02", "2099-09-07"]
    assert [lesson.date for lesson in Lesson.unscoped.all()] == sept(10)


def test_case7_two_teachers_two_subjects_a_subject_missing_from_the_nomenclature(college):
    report = import_timetable(school=college, paths=pair("case7"), today=TODAY)

    assert not report.refused, report.errors
    assert occurrences() == [
        ("020700", sept(3)[0], datetime.time(14, 2), datetime.time(15, 2), "15"),
        ("043700", sept(8)[0], datetime.time(15, 13), datetime.time(17, 13), "23"),
        ("020700", sept(10)[0], datetime.time(14, 2), datetime.time(15, 2), "15"),
        ("043700", sept(22)[0], datetime.time(15, 13), datetime.time(17, 13), "23"),
    ]
    # 043700 is not in that sts_emp: created under its code, and the report says so.
    assert Subject.unscoped.get(code="043700").name == "043700"
    assert Subject.unscoped.get(code="020700").name == "Français"
    assert any("043700" in warning and "emp_sts.xml, ligne" in warning for warning in report.warnings)
    assert {
        (assignment.teacher.first_name, assignment.subject.code) for assignment in TeachingAssignment.unscoped.all()
    } == {
        ("Jane", "020700"),
        ("John", "043700"),
    }
    assert report.counts["weekly_lessons_created"] == 2
    assert report.counts["divisions_created"] == 2  # 3A, and 3B for the group
    assert report.counts["groups_created"] == report.counts["group_divisions_created"] == 1
    assert Division.unscoped.filter(school_year=2018).count() == 2


def test_a_second_import_writes_nothing(college):
    first = import_timetable(school=college, paths=pair("case7"), today=TODAY)
    before = row_counts()

    second = import_timetable(school=college, paths=pair("case7"), today=TODAY)

    assert first.rows_written > 0
    assert not second.refused
    assert second.rows_written == 0, second.counts
    assert row_counts() == before


def test_a_dry_run_counts_everything_and_writes_nothing(college):
    before = row_counts()

    dry = import_timetable(school=college, paths=pair("case7"), dry_run=True, today=TODAY)

    assert row_counts() == before
    real = import_timetable(school=college, paths=pair("case7"), today=TODAY)
    assert dict(dry.counts) == dict(real.counts)
    assert dry.rows_written == real.rows_written > 0


def test_a_lesson_gone_from_the_source_is_deleted_and_a_changed_room_updated(college, tmp_path):
    import_timetable(school=college, paths=pair("case7"), today=TODAY)
    kept = WeeklyLesson.unscoped.get(groups__isnull=True)
    moved = tmp_path / "emp_sts.xml"
    moved.write_bytes((STS / "case3" / "emp_sts.xml").read_bytes().replace(b">15<", b">B12<"))

    report = import_timetable(school=college, paths=[STS / "case3" / "sts_emp.xml", moved], today=TODAY)

    assert not report.refused, report.errors
    assert report.counts["weekly_lessons_deleted"] == 1  # the group's lesson
    assert report.counts["weekly_lessons_updated"] == 1
    assert report.counts["lessons_updated"] == 2  # both dates moved to room B12
    assert WeeklyLesson.unscoped.get().pk == kept.pk
    assert [row[4] for row in occurrences()] == ["B12", "B12"]


def test_an_unknown_teacher_refuses_the_import_naming_the_person_and_the_line():
    target = school(UAI)
    teacher(target, "Doe", "John")

    report = import_timetable(school=target, paths=pair("case1"), today=TODAY)

    assert report.refused
    assert report.errors == [
        "sts_emp.xml, ligne 207 : enseignant inconnu dans l'établissement : DOE Jane (né(e) le 01/01/1980) (1 cours)."
    ]
    assert row_counts()["WeeklyLesson"] == row_counts()["Subject"] == 0


def test_namesakes_are_told_apart_by_birth_date_or_refused():
    target = school(UAI)
    jane = teacher(target, "Doé", "JANE", datetime.date(1980, 1, 1))
    teacher(target, "Doe", "Jane", datetime.date(1990, 5, 5))

    import_timetable(school=target, paths=pair("case1"), today=TODAY)

    assert list(WeeklyLesson.unscoped.get().teachers.all()) == [jane]


def test_namesakes_without_a_birth_date_to_tell_them_apart_are_refused():
    target = school(UAI)
    teacher(target, "Doe", "Jane")
    teacher(target, "Doe", "Jane")

    report = import_timetable(school=target, paths=pair("case1"), today=TODAY)

    assert report.refused
    assert report.errors == [
        "sts_emp.xml, ligne 207 : plusieurs enseignants de l'établissement répondent au nom de "
        "DOE Jane (né(e) le 01/01/1980) : impossible de choisir."
    ]


def test_wrong_uai_is_refused(college):
    elsewhere = school("0750680G")
    teacher(elsewhere, "Doe", "Jane", datetime.date(1980, 1, 1))

    report = import_timetable(school=elsewhere, paths=pair("case1"), today=TODAY)

    assert report.refused
    assert "0771991W" in report.errors[0] and "0750680G" in report.errors[0]
    assert row_counts()["WeeklyLesson"] == 0


def test_the_malformed_emp_sts_is_refused_with_file_and_line(college):
    report = import_timetable(school=college, paths=pair("parsing-error-case"), today=TODAY)

    assert report.refused
    assert report.errors[0].startswith("emp_sts.xml, ligne ")
    assert "XML mal formé" in report.errors[0]


def test_an_impossible_time_and_an_unknown_alternation_are_rejected_rows(college, tmp_path):
    broken = tmp_path / "emp_sts.xml"
    source = (STS / "case7" / "emp_sts.xml").read_bytes()
    broken.write_bytes(source.replace(b"<HEURE_DEBUT>1402", b"<HEURE_DEBUT>2502").replace(b">SA</CODE", b">SZ</CODE"))

    report = import_timetable(school=college, paths=[STS / "case7" / "sts_emp.xml", broken], today=TODAY)

    assert report.refused
    assert report.errors == [
        "emp_sts.xml, ligne 86 : heure de début impossible : « 2502 ».",
        "emp_sts.xml, ligne 117 : alternance « SZ » inconnue.",
    ]
    assert row_counts()["WeeklyLesson"] == 0


def test_half_a_pair_is_refused(college):
    report = import_timetable(school=college, paths=[STS / "case1" / "emp_sts.xml"], today=TODAY)

    assert report.refused
    assert "sts_emp" in report.errors[0]


@pytest.mark.parametrize(
    ("doctype", "reference"),
    [
        ('<!DOCTYPE STS_EDT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"),
        ('<!DOCTYPE STS_EDT [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', b"&b;"),
    ],
    ids=["xxe", "billion-laughs"],
)
def test_entity_declarations_are_refused(college, tmp_path, doctype, reference):
    hostile = tmp_path / "sts_emp.xml"
    source = (STS / "case1" / "sts_emp.xml").read_bytes()
    hostile.write_bytes(source.replace(b"<STS_EDT>", doctype.encode() + b"\n<STS_EDT>", 1).replace(b"DOE", reference))

    report = import_timetable(school=college, paths=[hostile, STS / "case1" / "emp_sts.xml"], today=TODAY)

    assert report.refused
    assert "entités XML" in report.errors[0]
    assert row_counts()["WeeklyLesson"] == 0


def test_the_command_reports_in_french_and_refuses_loudly(college):
    out = StringIO()
    call_command("import_timetable", "--school", UAI, *map(str, pair("case7")), "--dry-run", stdout=out)
    assert "2 cours hebdomadaires créés" in out.getvalue()
    assert "Simulation" in out.getvalue()
    assert WeeklyLesson.unscoped.count() == 0

    call_command("import_timetable", "--school", UAI, *map(str, pair("case7")), stdout=StringIO())
    assert TeachingGroup.unscoped.get().code == "3B_G2"
    assert GroupDivision.unscoped.count() == 1

    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_timetable", "--school", UAI, *map(str, pair("parsing-error-case")), stderr=StringIO())
    with pytest.raises(CommandError, match="Établissement inconnu"):
        call_command("import_timetable", "--school", "0750002B", *map(str, pair("case1")))
