"""The attendance API: a teacher reads and saves a roll call; everyone else is kept out."""

from __future__ import annotations

import datetime

import pytest

from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Absence, EarlyDeparture, Lateness, Lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock) -> None:  # type: ignore[no-untyped-def]
    """Monday 30 November at 8:30, in the 8:00 mathematics lesson."""
    clock(MONDAY, 8, 30)


def roll_call_url(timetable: Timetable, lesson: Lesson) -> str:
    return f"/api/v1/{timetable.cast.school.uai}/lessons/{lesson.pk}/roll-call/"


def maths(timetable: Timetable) -> Lesson:
    with school_scope(timetable.cast.school):
        return Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)


def test_a_teacher_reads_the_sheet_and_saves_the_roll_call(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    sheet = client.get(roll_call_url(timetable, lesson)).json()
    assert sheet["taken"] is False
    assert {row["student"] for row in sheet["students"]} >= {cast.student.pk, cast.classmate.pk}
    left = (datetime.datetime.combine(MONDAY, lesson.start) + datetime.timedelta(minutes=30)).strftime("%H:%M")
    saved = client.post(
        roll_call_url(timetable, lesson),
        {"absent": [cast.student.pk], "late": [], "departures": [{"student": cast.classmate.pk, "left_at": left}]},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    rows = {row["student"]: row for row in saved.json()["students"]}
    assert rows[cast.student.pk]["absent"] and rows[cast.classmate.pk]["left_at"] == left
    with school_scope(cast.school):
        assert Absence.objects.get().student_id == cast.student.pk
        assert EarlyDeparture.objects.get().student_id == cast.classmate.pk


def test_bad_payloads_are_refused_in_french_and_change_nothing(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    for body, message in (
        ({"absent": [cast.other_student.pk]}, "n'est pas attendu"),
        ({"late": [{"student": cast.student.pk, "minutes": 900}]}, "240"),
        ({"absent": "tous"}, "liste"),
    ):
        response = client.post(roll_call_url(timetable, lesson), body, content_type="application/json")
        assert response.status_code == 400 and message in response.content.decode(), response.content
    with school_scope(cast.school):
        assert not Absence.objects.exists() and not Lateness.objects.exists()


def test_students_parents_and_other_schools_cannot_reach_a_roll_call(client, timetable: Timetable, world) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    for person in (cast.student, cast.parent):
        client.force_login(person)
        assert client.post(
            roll_call_url(timetable, lesson), {"absent": []}, content_type="application/json"
        ).status_code in (403, 404)
    client.force_login(world.b.teacher)
    assert client.get(roll_call_url(timetable, lesson)).status_code in (403, 404)


def test_a_student_and_a_parent_read_the_absences_of_a_period(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    client.post(roll_call_url(timetable, lesson), {"absent": [cast.student.pk]}, content_type="application/json")
    address = f"/api/v1/{cast.school.uai}/absences/"
    week = {"from": MONDAY.isoformat(), "to": (MONDAY + datetime.timedelta(days=6)).isoformat()}
    client.force_login(cast.student)
    rows = client.get(address, week).json()
    assert [(row["kind"], row["subject"], row["state"]) for row in rows] == [
        ("absence", "Mathématiques", "unjustified")
    ]
    client.force_login(cast.parent)
    assert client.get(address, week).status_code == 400  # a parent names the child
    assert len(client.get(address, {**week, "student": cast.student.pk}).json()) == 1
    assert client.get(address, {**week, "student": cast.classmate.pk}).status_code == 404
    earlier = {"from": "2026-09-01", "to": "2026-11-29"}
    assert client.get(address, {**earlier, "student": cast.student.pk}).json() == []
    backwards = client.get(address, {"from": "2026-12-01", "to": "2026-11-01", "student": cast.student.pk})
    assert backwards.status_code == 400 and "un an au plus" in backwards.content.decode()
