"""The roll call: one save per lesson, known absences shown, the teacher's window, the office after it."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communication.models import Notification
from communication.notifications import sms
from communication.notifications.services.delivery import deliver
from communication.notifications.services.notices import EMAIL, SMS
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import MembershipFactory, SchoolFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Absence, AbsenceReason, EarlyDeparture, Lateness, Lesson, RollCall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday(clock) -> None:  # type: ignore[no-untyped-def]
    """Monday 30 November at 8:30, half an hour into the 8:00 mathematics lesson."""
    clock(MONDAY, 8, 30)


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
    # Correcting: everyone present removes the absence and the lateness; the family, already told of the
    # absence, is told of the mistake, once.
    client.post(url(timetable, lesson), {"action": "all_present"})
    client.post(url(timetable, lesson), {"action": "all_present"})
    with school_scope(cast.school):
        assert not Absence.objects.exists() and not Lateness.objects.exists()
        corrected = Notification.objects.get(kind="attendance.corrected")
        assert Notification.objects.count() == 2
    assert corrected.recipient_id == cast.parent.pk and "était présent(e) en Mathématiques" in corrected.title


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


def test_after_the_day_only_the_office_edits_the_roll_call(client, timetable: Timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY + datetime.timedelta(days=1), 8)
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
        ({"absent-{student}": "on", "late-{student}": "5"}, "ni en retard ni parti avant la fin"),
        ({"absent-{other}": "on"}, "n'est pas attendu à cette séance"),
        ({"left-{student}": "7:00"}, "Une heure de départ s'écrit comme 10:35."),
        ({"left-{student}": "18:00"}, "Un départ anticipé a lieu pendant la séance"),
        ({"absent-{student}": "on", "left-{student}": "08:30"}, "ni en retard ni parti avant la fin"),
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
        assert not EarlyDeparture.objects.exists()


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


def test_an_early_departure_is_noted_corrected_and_cleared(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    middle = (datetime.datetime.combine(MONDAY, lesson.start) + datetime.timedelta(minutes=20)).time()
    client.post(url(timetable, lesson), {f"left-{cast.student.pk}": middle.strftime("%H:%M")})
    with school_scope(cast.school):
        assert EarlyDeparture.objects.get().left_at == middle
    assert middle.strftime("%H:%M") in client.get(url(timetable, lesson)).content.decode()
    later = (datetime.datetime.combine(MONDAY, middle) + datetime.timedelta(minutes=10)).time()
    client.post(url(timetable, lesson), {f"left-{cast.student.pk}": later.strftime("%H:%M")})
    with school_scope(cast.school):
        assert list(EarlyDeparture.objects.values_list("left_at", flat=True)) == [later]
        assert not Absence.objects.exists()  # leaving early is not an absence
    client.post(url(timetable, lesson), {"action": "all_present"})
    with school_scope(cast.school):
        assert not EarlyDeparture.objects.exists()


def test_parents_get_the_absence_by_e_mail_and_text_message_once(
    client, timetable: Timetable, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    cast.parent.phone = "06 12 34 56 78"
    cast.parent.save(update_fields=["phone"])
    client.force_login(cast.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(timetable, lesson), {f"absent-{cast.student.pk}": "on"})
    assert [message.to for message in mail.outbox] == [[cast.parent.email]]
    assert "absent(e) en Mathématiques" in mail.outbox[0].subject
    assert "/emploi-du-temps/" in mail.outbox[0].body  # the link back to the day, with the portal's address
    assert [(text.to, "absent(e)" in text.text) for text in sms.outbox] == [("06 12 34 56 78", True)]
    with school_scope(cast.school):
        told = Notification.objects.get(kind="attendance.absent")
        assert told.emailed_at is not None and told.texted_at is not None
        # A retried task (or the same message delivered twice by the broker) sends nothing more.
        assert deliver(school=cast.school, notification_ids=[told.pk], channels=[EMAIL, SMS]) == 0
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def _save_queries(client, timetable: Timetable, lesson: Lesson, students: list[int]) -> int:  # type: ignore[no-untyped-def]
    client.force_login(timetable.cast.teacher)
    client.get(url(timetable, lesson))  # the portal's per-user caches are warm in both measures
    half = len(students) // 2
    body = {f"absent-{pk}": "on" for pk in students[:half]} | {f"late-{pk}": "5" for pk in students[half:]}
    with max_queries(60) as captured:
        assert client.post(url(timetable, lesson), body).status_code == 302
    return len(application_queries(captured))


def test_saving_the_roll_call_costs_the_same_queries_for_a_full_class(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    small = _save_queries(client, timetable, lesson, [cast.student.pk, cast.classmate.pk])
    others = [MembershipFactory(school=cast.school, division=cast.division).user_id for _ in range(30)]
    with school_scope(cast.school):
        for model in (Absence, Lateness, RollCall):
            model.objects.all().delete()
    assert _save_queries(client, timetable, lesson, [cast.student.pk, cast.classmate.pk, *others]) == small


def test_every_new_school_has_the_legal_reasons_of_article_l131_8() -> None:
    school = SchoolFactory()
    with school_scope(school):
        reasons = {reason.code: reason for reason in AbsenceReason.objects.all()}
    assert {"MALADIE", "CONTAGION", "FAMILLE", "TRANSPORT", "VOYAGE"} <= set(reasons)
    assert all(reasons[code].justifies and reasons[code].parents_may_choose for code in ("MALADIE", "TRANSPORT"))
    assert not reasons["NON_RECEVABLE"].justifies and not reasons["NON_RECEVABLE"].parents_may_choose


def test_ticking_absent_a_student_already_declared_absent_keeps_the_one_absence(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    start = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(0)))
    declared = Absence.unscoped.create(
        school=cast.school, student=cast.student, starts_at=start, ends_at=start + datetime.timedelta(days=1),
        source="parent",
    )  # fmt: skip
    client.force_login(cast.teacher)
    client.post(url(timetable, lesson), {f"absent-{cast.student.pk}": "on"})
    with school_scope(cast.school):
        assert list(Absence.objects.filter(student=cast.student)) == [declared]
        assert not Notification.objects.filter(kind="attendance.absent").exists()  # the family told the school
