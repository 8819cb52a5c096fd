"""The roll call: one save per lesson, known absences shown, the teacher's window, the office after it."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from communication.models import Notification
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import MembershipFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Absence, Lateness, Lesson, RollCall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)


def maths(timetable: Timetable) -> Lesson:
    with school_scope(timetable.cast.school):
        return Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)


def url(timetable: Timetable, lesson: Lesson) -> str:
    return reverse("timetable:roll_call", kwargs={"uai": timetable.cast.school.uai, "lesson_id": lesson.pk})


def test_the_teacher_takes_the_roll_call_in_one_save_and_parents_are_told(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    page = unescape(client.get(url(timetable, lesson)).content.decode())
    assert cast.student.get_full_name() in page and cast.classmate.get_full_name() in page
    assert cast.other_student.get_full_name() not in page  # another division
    response = client.post(
        url(timetable, lesson), {f"absent-{cast.student.pk}": "on", f"late-{cast.classmate.pk}": "7"}
    )
    assert response.status_code == 302
    with school_scope(cast.school):
        absence = Absence.objects.get()
        assert (absence.student_id, absence.source, absence.lesson_id) == (cast.student.pk, "roll_call", lesson.pk)
        assert Lateness.objects.get().minutes == 7
        assert RollCall.objects.filter(lesson=lesson, taken_by=cast.teacher).exists()
        told = Notification.objects.get(kind="attendance.absent")
    assert told.recipient_id == cast.parent.pk and "absent(e) en Mathématiques" in told.title
    # Correcting: everyone present removes the absence and the lateness, and tells nobody again.
    client.post(url(timetable, lesson), {"action": "all_present"})
    with school_scope(cast.school):
        assert not Absence.objects.exists() and not Lateness.objects.exists()
        assert Notification.objects.count() == 1


def test_an_absence_already_recorded_by_the_office_is_shown(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    start = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(0)))
    Absence.unscoped.create(
        school=cast.school,
        student=cast.student,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        source="office",
    )
    client.force_login(cast.teacher)
    assert "absence déjà signalée" in unescape(client.get(url(timetable, lesson)).content.decode())


def test_after_the_day_only_the_office_edits_the_roll_call(client, timetable: Timetable, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY + datetime.timedelta(days=1))
    client.force_login(cast.teacher)
    refused = client.post(url(timetable, lesson), {f"absent-{cast.student.pk}": "on"})
    assert refused.status_code == 403 and "ne se modifie plus" in unescape(refused.content.decode())
    client.force_login(cast.staff)
    assert client.post(url(timetable, lesson), {f"absent-{cast.student.pk}": "on"}).status_code == 302
    with school_scope(cast.school):
        assert Absence.objects.filter(student=cast.student).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"late-{student}": "abc"}, "Un retard se compte en minutes."),
        ({"late-{student}": "500"}, "Un retard compte de 1 à 240 minutes."),
        ({"absent-{student}": "on", "late-{student}": "5"}, "à la fois absent et en retard"),
        ({"absent-{other}": "on"}, "n'est pas attendu à cette séance"),
    ],
)
def test_bad_input_is_refused_in_french_and_changes_nothing(
    client, timetable: Timetable, data: dict[str, str], message: str
) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    body = {k.format(student=cast.student.pk, other=cast.other_student.pk): v for k, v in data.items()}
    response = client.post(url(timetable, lesson), body, follow=True)
    assert message in unescape(response.content.decode())
    with school_scope(cast.school):
        assert not Absence.objects.exists() and not Lateness.objects.exists() and not RollCall.objects.exists()


def test_students_parents_and_other_teachers_cannot_take_it(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    for person in (cast.student, cast.parent):
        client.force_login(person)
        assert client.get(url(timetable, lesson)).status_code == 404


def _sheet_queries(client, timetable: Timetable, lesson: Lesson) -> int:  # type: ignore[no-untyped-def]
    client.force_login(timetable.cast.teacher)
    with max_queries(30) as captured:
        assert client.get(url(timetable, lesson)).status_code == 200
    return len(application_queries(captured))


def test_the_roll_call_page_costs_the_same_queries_for_a_full_class(client, timetable: Timetable) -> None:
    lesson = maths(timetable)
    small = _sheet_queries(client, timetable, lesson)
    for _ in range(30):
        MembershipFactory(school=timetable.cast.school, division=timetable.cast.division)
    assert _sheet_queries(client, timetable, lesson) == small


def test_the_week_offers_the_roll_call_to_its_teacher_only(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    week = reverse("timetable:mine", kwargs={"uai": cast.school.uai}) + f"?date={MONDAY.isoformat()}"
    client.force_login(cast.teacher)
    content = unescape(client.get(week).content.decode())
    assert url(timetable, lesson) in content
    assert content.count("Faire l'appel") == 1  # today's lesson only, not Tuesday's or later
    client.force_login(cast.student)
    assert "Faire l'appel" not in unescape(client.get(week).content.decode())
