"""One lesson's change: cancel, move, room, replacement; who sees it, who is told, what is refused."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from communication.models import Notification
from schools.tenancy import school_scope
from tests.factories import RoomFactory, SchoolFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Lesson

pytestmark = pytest.mark.django_db
WEEK = f"?date={MONDAY.isoformat()}"


def monday_maths(timetable: Timetable) -> Lesson:
    with school_scope(timetable.cast.school):
        return Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)


def change_url(timetable: Timetable, lesson: Lesson, name: str = "lesson_change") -> str:
    return reverse(f"timetable:{name}", kwargs={"uai": timetable.cast.school.uai, "lesson_id": lesson.pk})


def week_of(client, user, timetable: Timetable) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    address = reverse("timetable:mine", kwargs={"uai": timetable.cast.school.uai}) + WEEK
    return unescape(client.get(address).content.decode())


def form(lesson: Lesson, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": lesson.date.isoformat(),
        "start": lesson.start.strftime("%H:%M"),
        "end": lesson.end.strftime("%H:%M"),
        "room": lesson.room_id or "",
        "replacement_teacher": "",
        "reason": "",
    }
    data.update(changes)
    return data


def test_a_cancellation_is_shown_to_the_student_and_the_parent_and_they_are_told(client, timetable: Timetable) -> None:
    cast = timetable.cast
    lesson = monday_maths(timetable)
    client.force_login(cast.staff)
    response = client.post(change_url(timetable, lesson), form(lesson, cancelled="on", reason="Professeur absent"))
    assert response.status_code == 302
    for person in (cast.student, cast.parent, cast.teacher):
        content = week_of(client, person, timetable)
        assert "Annulé" in content and "Motif : Professeur absent" in content
        assert "<del>Mathématiques</del>" in content
    with school_scope(cast.school):
        told = set(Notification.objects.filter(kind="timetable.changed").values_list("recipient", flat=True))
    # Its division's students, their legal representatives and the teacher; nobody else.
    assert told == {cast.student.pk, cast.classmate.pk, cast.parent.pk, cast.teacher.pk}
    assert cast.other_student.pk not in told


def test_a_move_a_room_change_and_a_replacement_show_the_old_values_struck(client, timetable: Timetable) -> None:
    cast = timetable.cast
    lesson = monday_maths(timetable)
    wednesday = MONDAY + datetime.timedelta(days=2)
    client.force_login(cast.direction)
    response = client.post(
        change_url(timetable, lesson),
        form(
            lesson,
            date=wednesday.isoformat(),
            start="13:00",
            end="14:00",
            room=timetable.other_room.pk,
            replacement_teacher=cast.teacher.pk,
            reason="Conseil de classe",
        ),
    )
    assert response.status_code == 302
    content = week_of(client, cast.student, timetable)
    assert "Déplacé au mercredi 2 décembre à 13:00" in content  # on Monday, struck through
    assert "Déplacé (prévu le lundi 30 novembre à 08:00)" in content  # on Wednesday
    assert "<del>Salle 101</del> <ins>CDI</ins>" in content
    assert f"remplacé par {cast.teacher.get_full_name()}" in content
    # Restoring puts it back and tells them again.
    client.force_login(cast.direction)
    assert client.post(change_url(timetable, lesson, "lesson_restore")).status_code == 302
    lesson.refresh_from_db()
    assert (lesson.date, lesson.start, lesson.room_id, lesson.changed_at) == (
        MONDAY,
        datetime.time(8),
        timetable.room.pk,
        None,
    )
    with school_scope(cast.school):
        assert Notification.objects.filter(recipient=cast.parent).count() == 2


def test_teachers_students_and_parents_cannot_change_a_lesson(client, timetable: Timetable) -> None:
    cast = timetable.cast
    lesson = monday_maths(timetable)
    for person in (cast.teacher, cast.student, cast.parent):
        client.force_login(person)
        assert client.get(change_url(timetable, lesson)).status_code == 404
        response = client.post(change_url(timetable, lesson), form(lesson, cancelled="on", reason="x"))
        assert response.status_code == 404
    lesson.refresh_from_db()
    assert not lesson.cancelled and lesson.changed_at is None
    # The week page offers no "Modifier" link to them.
    assert "Modifier" not in week_of(client, cast.student, timetable)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cancelled": "on", "reason": ""}, "Ce champ est obligatoire."),
        ({"reason": "Sortie", "start": "10:00", "end": "09:00"}, "L'heure de fin doit suivre l'heure de début."),
        ({"reason": "Sortie", "date": "2026-10-21"}, "n'est pas un jour de cours."),
        ({"reason": "<script>alert(1)</script>" * 20}, "Assurez-vous que cette valeur comporte au plus 200"),
        ({"reason": "Sortie", "room": "999999"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_changes_are_refused_in_french_and_change_nothing(
    client, timetable: Timetable, changes: dict[str, object], message: str
) -> None:
    lesson = monday_maths(timetable)
    client.force_login(timetable.cast.staff)
    response = client.post(change_url(timetable, lesson), form(lesson, **changes))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    lesson.refresh_from_db()
    assert lesson.changed_at is None and not lesson.cancelled and lesson.date == MONDAY


def test_a_room_of_another_school_is_refused(client, timetable: Timetable) -> None:
    foreign = RoomFactory(school=SchoolFactory())
    lesson = monday_maths(timetable)
    client.force_login(timetable.cast.staff)
    response = client.post(change_url(timetable, lesson), form(lesson, room=foreign.pk, reason="Salle"))
    assert "Sélectionnez un choix valide." in unescape(response.content.decode())
    lesson.refresh_from_db()
    assert lesson.room_id == timetable.room.pk


def test_the_head_delegates_lesson_changes_to_a_teacher(client, timetable: Timetable) -> None:
    from annuaire.services.delegations import grant_delegation
    from vie_scolaire.permissions import CHANGE_LESSONS

    cast = timetable.cast
    lesson = monday_maths(timetable)
    with school_scope(cast.school):
        grant_delegation(school=cast.school, user=cast.teacher, permission=CHANGE_LESSONS, granted_by=cast.direction)
    client.force_login(cast.teacher)
    response = client.post(change_url(timetable, lesson), form(lesson, cancelled="on", reason="Sortie au musée"))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.cancelled and lesson.change_reason == "Sortie au musée"
