"""An adult student justifies their own absences, and may keep their attendance from their parents
when the school's rules allow it; a minor is refused and nothing changes."""

from __future__ import annotations

import datetime
import re
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from annuaire.models import User
from communication.models import Notification
from schools.models import School
from schools.tenancy import school_scope
from tests.vie_scolaire.attendance.attendance_support import (
    LAST_MONDAY,
    decide_url,
    declare_url,
    justify_url,
    lesson_on,
    page,
    reason,
    refreshed,
    roll_call_absence,
    student_url,
)
from tests.vie_scolaire.conftest import Timetable
from vie_scolaire.attendance.selectors.families import attendance_followers
from vie_scolaire.attendance.services.families import choose_family_follow
from vie_scolaire.attendance.services.justifications import decide_justification, justify
from vie_scolaire.models import Absence, AttendanceSettings, AttendanceWithholding, Justification

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 9:00 in Paris.
TODAY = datetime.date(2026, 12, 7)
ADULT = datetime.date(2008, 12, 7)  # 18 this very day
MINOR = datetime.date(2008, 12, 8)  # 18 tomorrow
WITHHELD_NOTE = "a choisi que ses responsables légaux ne suivent plus ses absences"


@pytest.fixture(autouse=True)
def _monday_morning(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False):
        yield


def born(student: User, birth_date: datetime.date | None) -> User:
    User.objects.filter(pk=student.pk).update(birth_date=birth_date)
    student.refresh_from_db()
    return student


def follow_url(school: School, student: User) -> str:
    return reverse("attendance:family_follow", kwargs={"uai": school.uai, "student_id": student.pk})


def api_absences(client: Client, school: School, student: User) -> object:
    return client.get(
        f"/api/v1/{school.uai}/absences/", {"from": "2026-11-01", "to": "2026-12-31", "student": student.pk}
    )


def told(recipient: User) -> list[Notification]:
    return list(Notification.unscoped.filter(recipient=recipient, kind="attendance.justification"))


# --- Justifying one's own absences -------------------------------------------------------------


def test_an_adult_student_justifies_their_own_absence_and_the_office_accepts_it(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    student = born(cast.student, ADULT)
    absence = roll_call_absence(student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(student)
    own = page(client, student_url(cast.school, student))
    assert "Justifier une absence ou un retard" in own and "Déclarer une absence à venir" in own
    response = client.post(
        justify_url(cast.school, student),
        {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk, "comment": "Grippe"},
    )
    assert response.status_code == 302
    justification = refreshed(absence).justification
    assert justification is not None and justification.submitted_by_id == student.pk
    assert client.get(declare_url(cast.school, student)).status_code == 200

    client.force_login(cast.staff)
    client.post(decide_url(justification), {"decision": "accept"})
    assert refreshed(absence).reason.code == "MALADIE"
    # The student and their parents (who still follow) are told.
    assert len(told(student)) == 1 and len(told(cast.parent)) == 1


def test_a_17_year_old_is_refused_in_french_and_nothing_changes(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    student = born(cast.student, MINOR)
    absence = roll_call_absence(student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(student)
    own = page(client, student_url(cast.school, student))
    assert "Justifier une absence" not in own and "Déclarer une absence" not in own
    response = client.post(
        justify_url(cast.school, student), {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk}
    )
    assert response.status_code == 404
    assert "vous le ferez vous-même à partir de 18 ans" in unescape(response.content.decode())
    assert client.get(declare_url(cast.school, student)).status_code == 404
    with school_scope(cast.school), pytest.raises(ValidationError, match="à partir de 18 ans"):
        justify(
            school=cast.school,
            student=student,
            submitted_by=student,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
        )
    assert refreshed(absence).justification is None and not Justification.unscoped.exists()
    assert Absence.unscoped.count() == 1


@pytest.mark.parametrize(
    ("birth_date", "adult"),
    [(ADULT, True), (MINOR, False), (None, False), (datetime.date(1990, 2, 28), True)],
    ids=["18-today", "18-tomorrow", "no-birth-date", "long-adult"],
)
def test_the_18th_birthday_on_the_day_counts(
    timetable: Timetable, birth_date: datetime.date | None, adult: bool
) -> None:
    cast = timetable.cast
    student = born(cast.student, birth_date)
    absence = roll_call_absence(student, lesson_on(timetable.maths, LAST_MONDAY))
    arguments = {
        "school": cast.school,
        "student": student,
        "submitted_by": student,
        "absence_ids": [absence.pk],
        "reason": reason(cast.school, "MALADIE"),
    }
    with school_scope(cast.school):
        if adult:
            assert justify(**arguments).submitted_by_id == student.pk  # type: ignore[arg-type]
        else:
            with pytest.raises(ValidationError):
                justify(**arguments)  # type: ignore[arg-type]
        followers = attendance_followers(cast.school, [student.pk])[student.pk]
    assert (student in followers) is adult and cast.parent in followers


# --- Keeping one's attendance from one's parents -------------------------------------------------


def test_an_adult_student_who_withholds_hides_their_attendance_from_their_parents(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    student = born(cast.student, ADULT)
    absence = roll_call_absence(student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(student)
    assert "Le suivi par vos responsables légaux" in page(client, student_url(cast.school, student))
    assert client.post(follow_url(cast.school, student), {"follow": "withheld"}).status_code == 302
    assert AttendanceWithholding.unscoped.filter(school=cast.school, student=student).exists()
    assert re.search(r'value="withheld"[^>]*checked', page(client, student_url(cast.school, student)))

    client.force_login(cast.parent)
    seen = page(client, student_url(cast.school, student))
    assert WITHHELD_NOTE in seen and "Mathématiques" not in seen and "Non justifiée" not in seen
    answer = api_absences(client, cast.school, student)
    assert answer.status_code == 403 and "a choisi" in answer.json()["detail"]  # type: ignore[attr-defined]
    body = {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk}
    assert client.post(justify_url(cast.school, student), body).status_code == 404
    # Grades and timetable stay open to them.
    assert (
        client.get(reverse("timetable:student", kwargs={"uai": cast.school.uai, "student_id": student.pk})).status_code
        == 200
    )

    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=student,
            submitted_by=student,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
        )
        decide_justification(justification=justification, decided_by=cast.staff, accept=False, message="Illisible")
    assert len(told(student)) == 1 and told(cast.parent) == []

    # The student changes their mind: the parents follow again.
    client.force_login(student)
    client.post(follow_url(cast.school, student), {"follow": "followed"})
    assert not AttendanceWithholding.unscoped.exists()
    client.force_login(cast.parent)
    assert "Justificatif refusé" in page(client, student_url(cast.school, student))
    assert api_absences(client, cast.school, student).status_code == 200  # type: ignore[attr-defined]


def test_the_choice_is_not_offered_to_a_minor_nor_to_someone_else(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    student = born(cast.student, MINOR)
    client.force_login(student)
    assert "Le suivi par vos responsables légaux" not in page(client, student_url(cast.school, student))
    assert client.post(follow_url(cast.school, student), {"follow": "withheld"}).status_code == 404
    born(student, ADULT)
    for person in (cast.parent, cast.staff):
        client.force_login(person)
        assert client.post(follow_url(cast.school, student), {"follow": "withheld"}).status_code in (403, 404)
    assert not AttendanceWithholding.unscoped.exists()


def test_when_the_schools_rules_forbid_it_the_choice_is_not_offered_and_a_stored_one_is_ignored(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    student = born(cast.student, ADULT)
    absence = roll_call_absence(student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school):
        choose_family_follow(school=cast.school, student=student, withheld=True)
    AttendanceSettings.unscoped.create(school=cast.school, adult_students_may_withhold=False)

    client.force_login(student)
    assert "Le suivi par vos responsables légaux" not in page(client, student_url(cast.school, student))
    assert client.post(follow_url(cast.school, student), {"follow": "followed"}).status_code == 404
    with school_scope(cast.school), pytest.raises(ValidationError, match="réservé aux élèves majeurs"):
        choose_family_follow(school=cast.school, student=student, withheld=False)
    assert AttendanceWithholding.unscoped.exists()  # kept as it was, only ignored

    client.force_login(cast.parent)
    seen = page(client, student_url(cast.school, student))
    assert WITHHELD_NOTE not in seen and "Non justifiée" in seen
    assert api_absences(client, cast.school, student).status_code == 200  # type: ignore[attr-defined]
    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
        )
        decide_justification(justification=justification, decided_by=cast.staff, accept=True)
    assert len(told(cast.parent)) == 1 and len(told(student)) == 1
