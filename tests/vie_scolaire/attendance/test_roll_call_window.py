"""The roll call's window and the families' notice, on a frozen clock (issue: a roll call taken at night
told a family of an absence twelve hours ahead).

The mathematics lesson is on Monday 30 November, 8:00-9:00: its roll call opens at 7:50 and the families'
notice of an absence is due at 8:10 (the defaults)."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from annuaire.models import User
from communication.models import Notification
from schools.tenancy import school_scope
from tests.factories import MembershipFactory, UserFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable, paris_time
from vie_scolaire.attendance.services.families import choose_family_follow
from vie_scolaire.attendance.services.justifications import record_absence
from vie_scolaire.models import Absence, AttendanceSettings, Lesson, RollCall
from vie_scolaire.tasks import send_owed_absence_notices
from vie_scolaire.timetable.services import LessonChange, change_lesson

pytestmark = pytest.mark.django_db


def maths(timetable: Timetable) -> Lesson:
    with school_scope(timetable.cast.school):
        return Lesson.objects.select_related("school", "weekly_lesson__subject").get(
            weekly_lesson=timetable.maths, date=MONDAY
        )


def page_url(timetable: Timetable, lesson: Lesson) -> str:
    return reverse("timetable:roll_call", kwargs={"uai": timetable.cast.school.uai, "lesson_id": lesson.pk})


def api_url(timetable: Timetable, lesson: Lesson) -> str:
    return f"/api/v1/{timetable.cast.school.uai}/lessons/{lesson.pk}/roll-call/"


def mark_absent(client, timetable: Timetable, lesson: Lesson, *students: int) -> None:  # type: ignore[no-untyped-def]
    client.force_login(timetable.cast.teacher)
    body = {f"absent-{pk}": "on" for pk in students} if students else {"action": "all_present"}
    assert client.post(page_url(timetable, lesson), body).status_code == 302


def told(timetable: Timetable, kind: str = "attendance.absent") -> list[Notification]:
    with school_scope(timetable.cast.school):
        return list(Notification.objects.filter(kind=kind))


def nothing_recorded(timetable: Timetable) -> bool:
    with school_scope(timetable.cast.school):
        return not Absence.objects.exists() and not RollCall.objects.exists()


def test_at_night_the_page_and_the_api_say_when_it_opens_and_record_nothing(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY, 1, 45)
    client.force_login(cast.teacher)
    opens = "L'appel de cette séance ouvre le lundi 30 novembre à 07:50."
    page = unescape(client.get(page_url(timetable, lesson)).content.decode())
    assert opens in page and "Enregistrer l'appel" not in page
    posted = client.post(page_url(timetable, lesson), {f"absent-{cast.student.pk}": "on"}, follow=True)
    assert opens in unescape(posted.content.decode())
    sheet = client.get(api_url(timetable, lesson)).json()
    assert sheet["open"] is False and sheet["not_open"] == opens
    assert datetime.datetime.fromisoformat(sheet["opens_at"]) == paris_time(MONDAY, 7, 50)
    body = {"absent": [cast.student.pk], "late": [], "departures": []}
    refused = client.post(api_url(timetable, lesson), body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["non_field_errors"] == [opens]
    assert nothing_recorded(timetable) and not told(timetable)


def test_the_roll_call_opens_ten_minutes_before_the_lesson_or_when_the_school_says(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    clock(MONDAY, 7, 49)
    client.post(page_url(timetable, lesson), {"action": "all_present"})
    assert nothing_recorded(timetable)
    clock(MONDAY, 7, 50)
    mark_absent(client, timetable, lesson)
    with school_scope(cast.school):
        assert RollCall.objects.filter(lesson=lesson).exists()
        RollCall.objects.all().delete()
    AttendanceSettings.unscoped.create(school=cast.school, roll_call_opens_before=0)
    clock(MONDAY, 7, 55)
    client.post(page_url(timetable, lesson), {"action": "all_present"})
    assert nothing_recorded(timetable)
    # The week shows the roll call's link only once it is open.
    week = reverse("timetable:mine", kwargs={"uai": cast.school.uai}) + f"?date={MONDAY.isoformat()}"
    assert page_url(timetable, lesson) not in client.get(week).content.decode()
    clock(MONDAY, 8, 0)
    assert page_url(timetable, lesson) in client.get(week).content.decode()


def test_the_notice_leaves_after_the_first_minutes_once(
    client, timetable, clock, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY, 7, 55)
    with django_capture_on_commit_callbacks(execute=True) as started:
        mark_absent(client, timetable, lesson, cast.student.pk)
    # A task was started for 8:10; run at once (eager, no broker), it found nothing due.
    assert started and not told(timetable)
    clock(MONDAY, 8, 9)
    send_owed_absence_notices()
    assert not told(timetable)
    clock(MONDAY, 8, 10)
    send_owed_absence_notices()
    send_owed_absence_notices()
    notices = told(timetable)
    assert [n.recipient_id for n in notices] == [cast.parent.pk]
    assert "absent(e) en Mathématiques le lundi 30 novembre à 08:00" in notices[0].title
    with school_scope(cast.school):
        assert Absence.objects.get().notice_sent_at == paris_time(MONDAY, 8, 10)


def test_a_student_marked_absent_then_present_in_the_first_minutes_costs_no_message(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY, 8, 2)
    mark_absent(client, timetable, lesson, cast.student.pk)
    clock(MONDAY, 8, 6)
    mark_absent(client, timetable, lesson)
    clock(MONDAY, 8, 30)
    send_owed_absence_notices()
    assert not told(timetable) and not told(timetable, "attendance.corrected")


def test_a_correction_after_the_notice_tells_the_family_of_the_mistake(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY, 8, 15)  # past the notice's moment: the notice leaves with the save
    mark_absent(client, timetable, lesson, cast.student.pk, cast.classmate.pk)
    assert len(told(timetable)) == 1  # the student's parent (the classmate's family has no account)
    clock(MONDAY, 8, 40)
    mark_absent(client, timetable, lesson, cast.classmate.pk)  # the student was there after all
    mark_absent(client, timetable, lesson, cast.classmate.pk)
    corrections = told(timetable, "attendance.corrected")
    assert [n.recipient_id for n in corrections] == [cast.parent.pk]
    assert "Correction" in corrections[0].title and cast.student.first_name in corrections[0].title
    assert len(told(timetable)) == 1  # nobody told twice


def test_an_absence_the_office_records_in_advance_is_an_absence_not_a_roll_call(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    clock(MONDAY - datetime.timedelta(days=3), 17, 0)  # the family called on Friday
    with school_scope(cast.school):
        record_absence(
            school=cast.school,
            student=cast.student,
            starts_at=paris_time(MONDAY, 0),
            ends_at=paris_time(MONDAY + datetime.timedelta(days=1), 0),
            recorded_by=cast.staff,
        )
        assert not RollCall.objects.exists()
    clock(MONDAY, 8, 15)
    client.force_login(cast.teacher)
    assert "absence déjà signalée" in unescape(client.get(page_url(timetable, lesson)).content.decode())
    mark_absent(client, timetable, lesson, cast.student.pk)
    with school_scope(cast.school):
        assert list(Absence.objects.values_list("source", flat=True)) == ["office"]
    assert not told(timetable)  # the family told the school


def test_a_moved_lesson_and_its_replacement_teacher_follow_the_new_time(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    replacement = UserFactory()
    MembershipFactory(school=cast.school, user=replacement, profile="teacher")
    clock(MONDAY - datetime.timedelta(days=3), 17, 0)
    with school_scope(cast.school):
        change_lesson(
            lesson=lesson,
            change=LessonChange(
                reason="Sortie au musée le matin",
                start=datetime.time(13, 30),
                end=datetime.time(14, 30),
                replacement_teacher=replacement,
            ),
            changed_by=cast.staff,
        )
    clock(MONDAY, 8, 15)
    client.force_login(replacement)
    page = unescape(client.get(page_url(timetable, lesson)).content.decode())
    assert "ouvre le lundi 30 novembre à 13:20" in page
    clock(MONDAY, 13, 25)
    body = {"absent": [cast.student.pk], "late": [], "departures": []}
    assert client.post(api_url(timetable, lesson), body, content_type="application/json").status_code == 200
    assert not told(timetable)  # due at 13:40
    clock(MONDAY, 13, 40)
    send_owed_absence_notices()
    assert "à 13:30" in told(timetable)[0].title


def test_the_head_sets_the_schools_rules_and_a_bad_value_changes_nothing(client, timetable) -> None:  # type: ignore[no-untyped-def]
    cast = timetable.cast
    address = reverse("attendance:rules", kwargs={"uai": cast.school.uai})
    client.force_login(cast.staff)
    assert client.get(address).status_code == 403
    client.force_login(cast.direction)
    values = {"roll_call_opens_before": "5", "absence_notice_delay": "20", "adult_students_may_withhold": ""}
    assert client.post(address, values).status_code == 302
    with school_scope(cast.school):
        rules = AttendanceSettings.objects.get()
    assert (rules.roll_call_opens_before, rules.absence_notice_delay, rules.adult_students_may_withhold) == (
        5,
        20,
        False,
    )
    refused = client.post(address, {**values, "roll_call_opens_before": "600"})
    assert "Rien n'a été enregistré" in unescape(refused.content.decode())
    with school_scope(cast.school):
        assert AttendanceSettings.objects.get().roll_call_opens_before == 5


def test_an_adult_student_who_withheld_is_told_of_the_absence_and_the_parents_are_not(client, timetable, clock) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    User.objects.filter(pk=cast.student.pk).update(birth_date=datetime.date(2008, 1, 15))
    cast.student.refresh_from_db()
    clock(MONDAY, 8, 15)
    with school_scope(cast.school):
        choose_family_follow(school=cast.school, student=cast.student, withheld=True)
    mark_absent(client, timetable, lesson, cast.student.pk)
    assert [n.recipient_id for n in told(timetable)] == [cast.student.pk]


@pytest.mark.parametrize("page", ["desk", "statistics", "thresholds", "justifications"])
def test_every_office_page_offers_the_rules_tab_to_the_head_only(client, timetable, page: str) -> None:  # type: ignore[no-untyped-def]
    cast = timetable.cast
    address = reverse(f"attendance:{page}", kwargs={"uai": cast.school.uai})
    rules = reverse("attendance:rules", kwargs={"uai": cast.school.uai})
    client.force_login(cast.direction)
    assert rules in client.get(address).content.decode()
    client.force_login(cast.staff)
    assert rules not in client.get(address).content.decode()
