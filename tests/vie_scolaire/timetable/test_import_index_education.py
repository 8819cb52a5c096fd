"""The Index Éducation import (EDT / PRONOTE export to ENTs) on laclasse's decrypted sample."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from lxml import etree

from annuaire.models import TeachingAssignment, TeachingGroup
from schools.models import School
from schools.tenancy import cross_school
from tests.vie_scolaire.timetable.timetable_support import (
    TIMETABLE,
    assert_dry_run_then_idempotent,
    row_counts,
    school,
    teacher,
)
from vie_scolaire.models import Lesson, Room, TimeSlot, WeeklyLesson
from vie_scolaire.timetable.imports.importer import import_timetable, read_timetable

INDEX = TIMETABLE / "index-education-edt" / "laclasse-cahiertextes"
CLEAR = INDEX / "Edt_To_LaclasseCom_0134567A_Enclair.xml"
ENCRYPTED = INDEX / "Edt_To_LaclasseCom_0134567A.xml"
NS = {"e": "http://www.index-education.com/exportemploidutemps"}
UAI = "0134567A"
TODAY = datetime.date(2013, 9, 1)  # the export's year starts on 2013-09-02: every week is to come
COURSES, EMPTY_COURSES = 704, 100  # 100 courses name a subject and nothing else

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CLEAR.is_file(), reason=f"the Index Éducation sample is not at {INDEX}"),
]


@pytest.fixture(autouse=True)
def _across_schools():  # type: ignore[no-untyped-def]
    # The assertions read what the import wrote, as the city console would: across schools.
    with cross_school():
        yield


def professors(path: Path = CLEAR) -> list[tuple[str, str]]:
    root = etree.parse(str(path)).getroot()
    return [(item.get("Nom"), item.get("Prenom")) for item in root.iterfind("e:Professeurs/e:Professeur", NS)]


@pytest.fixture
def college() -> School:
    target = school(UAI)
    for last_name, first_name in professors():
        teacher(target, last_name.title(), first_name.title())
    return target


def test_the_sample_reads_with_the_counts_of_its_source():
    timetable = read_timetable([CLEAR])

    assert not timetable.errors, timetable.errors[:3]
    assert (timetable.uai, timetable.school_year) == (UAI, 2013)
    assert len(timetable.subjects) == 25
    assert len(timetable.people) == 31
    assert len(timetable.divisions) == 16
    assert len(timetable.groups) == 48
    assert len(timetable.rooms) == 24
    assert len(timetable.lessons) == COURSES
    assert len(timetable.slots) == 20


def test_the_sample_imports(college):
    report = import_timetable(school=college, paths=[CLEAR], today=TODAY)

    assert not report.refused, report.errors[:3]
    assert report.counts["weekly_lessons_created"] == COURSES - EMPTY_COURSES
    assert WeeklyLesson.unscoped.filter(source="index").count() == COURSES - EMPTY_COURSES
    assert "100 cours sans classe ni groupe ignorés." in report.warnings
    assert TimeSlot.unscoped.count() == 20
    assert Room.unscoped.count() == 24
    # 3 courses are co-taught: two teachers on one lesson.
    two_teachers = [weekly for weekly in WeeklyLesson.unscoped.all() if weekly.teachers.count() == 2]
    assert len(two_teachers) == 3
    assert report.counts["lessons_created"] == Lesson.unscoped.count() > 10_000
    assert TeachingAssignment.unscoped.count() == report.counts["assignments_created"] > 0


def test_a_course_gets_its_slots_room_group_and_weeks(college):
    import_timetable(school=college, paths=[CLEAR], today=TODAY)

    # The first course: Wednesday places 8-9 (12:00-13:00), group 3ATRAVGR.1 in room 11, weeks
    # [1..7,10..16,19..25,28..33,36..44] counted from Monday 2013-09-02.
    group = TeachingGroup.unscoped.get(code="3ATRAVGR.1")
    weekly = WeeklyLesson.unscoped.get(groups=group, subject__code="ATRAV")
    assert (weekly.weekday, weekly.start, weekly.end) == (3, datetime.time(12), datetime.time(13))
    assert weekly.room.code == "11"
    assert [teacher.last_name for teacher in weekly.teachers.all()] == ["Albert"]
    # Its class parts belong to four classes: the group spans them.
    assert [division.code for division in group.divisions.order_by("code")] == ["3A", "3B", "3C", "3D"]
    numbers = [*range(1, 8), *range(10, 17), *range(19, 26), *range(28, 34), *range(36, 45)]
    mondays = [datetime.date(2013, 9, 2) + datetime.timedelta(weeks=number - 1) for number in numbers]
    assert weekly.weeks == [monday.isoformat() for monday in mondays]
    dates = list(Lesson.unscoped.filter(weekly_lesson=weekly).values_list("date", flat=True))
    assert dates[:3] == [datetime.date(2013, 9, 4), datetime.date(2013, 9, 11), datetime.date(2013, 9, 18)]
    assert len(dates) == len(numbers)


def test_alternating_weeks_of_one_class_are_two_lessons(college):
    import_timetable(school=college, paths=[CLEAR], today=TODAY)

    # Thursday 14:30, class 16's "ACCOMP.TRAVAIL PERSO": even weeks and odd weeks, same teacher.
    pair = WeeklyLesson.unscoped.filter(subject__code="ATRAV", weekday=4, start=datetime.time(14, 30))
    assert pair.count() == 2
    week_sets = [set(weekly.weeks) for weekly in pair]
    assert not week_sets[0] & week_sets[1]


def test_a_second_import_writes_nothing_and_a_dry_run_writes_nothing(college):
    assert_dry_run_then_idempotent(college, [CLEAR], TODAY)


def test_the_encrypted_container_is_refused_for_want_of_the_partner_key(college):
    report = import_timetable(school=college, paths=[ENCRYPTED], today=TODAY)

    assert report.refused
    assert report.errors[0].startswith("Edt_To_LaclasseCom_0134567A.xml, ligne 2 : export chiffré")
    assert "clé privée du partenaire" in report.errors[0]


def test_missing_teachers_are_refused_by_name(tmp_path):
    target = school(UAI)
    for last_name, first_name in professors()[1:]:
        teacher(target, last_name, first_name)

    report = import_timetable(school=target, paths=[CLEAR], today=TODAY)

    assert report.refused
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Edt_To_LaclasseCom_0134567A_Enclair.xml, ligne 63 : enseignant inconnu")
    assert "ALBERT MARIE DESI" in report.errors[0]
    assert row_counts()["WeeklyLesson"] == 0


def test_wrong_uai_is_refused(college):
    other = school("0750680G")

    report = import_timetable(school=other, paths=[CLEAR], today=TODAY)

    assert report.refused
    assert "0134567A" in report.errors[0]


def test_the_content_is_checked_row_by_row(college, tmp_path):
    broken = tmp_path / "export.xml"
    source = CLEAR.read_bytes()
    source = source.replace(b'<Matiere Ident="8" Code="AIDTR"', b'<Matiere Ident="8"', 1)
    source = source.replace(b'<Cours Jour="3" NumeroPlaceDebut="8"', b'<Cours Jour="9" NumeroPlaceDebut="8"', 1)
    source = source.replace(b'NumeroPlaceDebut="6" NombrePlaces="2"', b'NumeroPlaceDebut="19" NombrePlaces="2"', 1)
    broken.write_bytes(source)

    report = import_timetable(school=college, paths=[broken], today=TODAY)

    assert report.refused
    assert report.errors[:3] == [
        "export.xml, ligne 37 : attribut « Code » absent de « Matiere ».",
        "export.xml, ligne 3425 : jour impossible : « 9 » (attendu de 1 à 7).",
        "export.xml, ligne 3461 : places 19 à 20 absentes de la grille horaire.",
    ]
    # The courses of the subject left undefined are rejected too, each on its own line.
    assert len(report.errors) > 3
    assert all("matière d'Ident 8 inconnu(e) du fichier." in error for error in report.errors[3:])
    assert row_counts()["WeeklyLesson"] == 0
