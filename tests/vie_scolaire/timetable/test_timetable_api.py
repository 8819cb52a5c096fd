"""GET /api/v1/<uai>/timetable/: one's own lessons, a parent's child's, with changes; bad input refused."""

from __future__ import annotations

import datetime

import pytest

from annuaire.models import Profile
from schools.tenancy import school_scope
from tests.factories import MembershipFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Lesson
from vie_scolaire.timetable.selectors import audience_lessons, student_audience
from vie_scolaire.timetable.serializers import LessonSerializer
from vie_scolaire.timetable.services import LessonChange, change_lesson

pytestmark = pytest.mark.django_db
FRIDAY = MONDAY + datetime.timedelta(days=4)


def api(timetable: Timetable) -> str:
    return f"/api/v1/{timetable.cast.school.uai}/timetable/"


def week(**extra: object) -> dict[str, object]:
    return {"from": MONDAY.isoformat(), "to": FRIDAY.isoformat(), **extra}


def test_a_student_gets_their_week_with_a_change(client, timetable: Timetable) -> None:
    cast = timetable.cast
    with school_scope(cast.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
        change_lesson(lesson=lesson, change=LessonChange(reason="Sortie", cancelled=True), changed_by=cast.staff)
    client.force_login(cast.student)
    response = client.get(api(timetable), week())
    assert response.status_code == 200
    rows = response.json()
    assert [row["subject"] for row in rows] == ["Mathématiques", "SVT", "Anglais"]
    assert rows[0] | {"id": 0} == {
        "id": 0,
        "date": "2026-11-30",
        "start": "08:00:00",
        "end": "09:00:00",
        "scheduled_date": "2026-11-30",
        "subject": "Mathématiques",
        "subject_code": cast.subject.code,
        "teachers": [cast.teacher.get_full_name()],
        "divisions": [cast.division.name],
        "groups": [],
        "room": "Salle 101",
        "status": "cancelled",
        "replacement_teacher": "",
        "change_reason": "Sortie",
    }


def test_a_parent_passes_a_child_and_only_their_own(client, timetable: Timetable) -> None:
    cast = timetable.cast
    client.force_login(cast.parent)
    missing = client.get(api(timetable), week())
    assert missing.status_code == 400 and "Précisez l'élève" in missing.json()["student"][0]
    assert len(client.get(api(timetable), week(student=cast.student.pk)).json()) == 3
    assert client.get(api(timetable), week(student=cast.classmate.pk)).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-11-30"}, "to"),
        ({"from": "lundi", "to": "2026-12-04"}, "from"),
        ({"from": "2026-12-04", "to": "2026-11-30"}, "non_field_errors"),
        ({"from": "2026-09-01", "to": "2027-07-01"}, "non_field_errors"),
    ],
)
def test_bad_dates_are_refused_in_french(client, timetable: Timetable, query: dict[str, str], field: str) -> None:
    client.force_login(timetable.cast.student)
    response = client.get(api(timetable), query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_teacher_gets_their_own_lessons(client, timetable: Timetable) -> None:
    client.force_login(timetable.cast.teacher)
    rows = client.get(api(timetable), week()).json()
    # Every lesson of the fixture is theirs: Monday, Tuesday (week B), Thursday's group, Friday's other division.
    assert [row["subject"] for row in rows] == ["Mathématiques", "SVT", "Anglais", "Anglais"]


def test_the_written_out_answer_is_what_the_declared_fields_give(client, timetable: Timetable) -> None:
    """LessonSerializer writes its answer out for speed; the declared fields (the OpenAPI schema) must
    give the same, for every kind of lesson: cancelled, moved, in another room, replaced, of a group."""
    cast = timetable.cast
    substitute = MembershipFactory(school=cast.school, profile=Profile.TEACHER).user
    with school_scope(cast.school):
        lessons = {
            lesson.weekly_lesson_id: lesson
            for lesson in Lesson.objects.filter(date__range=(MONDAY, FRIDAY)).order_by("date", "start")
        }
        change_lesson(
            lesson=lessons[timetable.maths.pk],
            change=LessonChange(reason="Sortie", cancelled=True),
            changed_by=cast.staff,
        )
        change_lesson(
            lesson=lessons[timetable.group_lesson.pk],
            change=LessonChange(
                reason="Réunion",
                date=FRIDAY,
                start=datetime.time(15, 0),
                end=datetime.time(16, 30),
                room=timetable.other_room,
                replacement_teacher=substitute,
            ),
            changed_by=cast.staff,
        )
        found = list(audience_lessons(cast.school, student_audience(cast.student_membership), MONDAY, FRIDAY))
        serializer = LessonSerializer()
        written = [serializer.to_representation(lesson) for lesson in found]
        declared = [dict(super(LessonSerializer, serializer).to_representation(lesson)) for lesson in found]
    assert len(found) >= 3 and written == declared
    assert {"cancelled", "changed"} <= {row["status"] for row in written}
    assert any(row["replacement_teacher"] == substitute.get_full_name() and row["room"] for row in written)
    assert list(written[0]) == LessonSerializer.Meta.fields
