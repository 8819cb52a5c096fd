"""Families declare coming absences; who reads a student's attendance; the office records absences and sets reasons.
(Justifying and deciding: test_justifications.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schools.tenancy import school_scope
from tests.factories import GuardianshipFactory
from tests.vie_scolaire.attendance.attendance_support import (
    LAST_MONDAY,
    NEXT_MONDAY,
    decide_url,
    declare_url,
    lesson_on,
    page,
    reason,
    refreshed,
    roll_call_absence,
    student_url,
    text,
)
from tests.vie_scolaire.conftest import Timetable
from tests.world import World
from vie_scolaire.attendance.selectors.roll_call import roll_call_sheet
from vie_scolaire.attendance.services.justifications import declare_absence, justify
from vie_scolaire.models import Absence, AbsenceReason, Justification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_evening")]


# --- Declared absences ----------------------------------------------------------------------------


def test_a_declared_coming_absence_shows_the_student_known_absent_at_the_roll_call(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    client.force_login(cast.parent)
    assert "Du" in page(client, declare_url(cast.school, cast.student))
    response = client.post(
        declare_url(cast.school, cast.student),
        {
            "starts_at": "2026-11-30T07:30",
            "ends_at": "2026-11-30T18:00",
            "reason": reason(cast.school, "FAMILLE").pk,
            "comment": "Mariage",
        },
    )
    assert response.status_code == 302
    absence = Absence.unscoped.select_related("justification").get()
    assert absence.source == Absence.Source.PARENT and absence.created_by_id == cast.parent.pk
    assert absence.justification.status == Justification.Status.PENDING and absence.justification.comment == "Mariage"
    assert absence.reason is None  # the office has not decided yet
    with school_scope(cast.school):
        sheet = {row.membership.user_id: row for row in roll_call_sheet(lesson_on(timetable.maths, NEXT_MONDAY))}
    assert sheet[cast.student.pk].known_absent and not sheet[cast.classmate.pk].known_absent
    assert "Justificatif en attente" in page(client, student_url(cast.school, cast.student))


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "message"),
    [
        ("2026-11-27T08:00", "2026-11-30T18:00", "le début est déjà passé"),
        ("2026-11-30T18:00", "2026-11-30T08:00", "La fin de l'absence doit venir après son début"),
        ("2026-12-01T08:00", "2027-02-01T08:00", "au plus 60 jours à l'avance"),
    ],
)
def test_a_declaration_in_the_past_reversed_or_too_far_is_refused(
    client: Client, timetable: Timetable, starts_at: str, ends_at: str, message: str
) -> None:
    cast = timetable.cast
    client.force_login(cast.parent)
    response = client.post(
        declare_url(cast.school, cast.student),
        {"starts_at": starts_at, "ends_at": ends_at, "reason": reason(cast.school, "FAMILLE").pk},
    )
    assert message in text(response)
    assert not Absence.unscoped.exists() and not Justification.unscoped.exists()


def test_a_second_declaration_over_the_same_time_is_refused(timetable: Timetable) -> None:
    cast = timetable.cast
    start = timezone.make_aware(datetime.datetime(2026, 11, 30, 8))
    with school_scope(cast.school):
        arguments = {
            "school": cast.school,
            "student": cast.student,
            "submitted_by": cast.parent,
            "reason": reason(cast.school, "FAMILLE"),
        }
        declare_absence(starts_at=start, ends_at=start + datetime.timedelta(hours=4), **arguments)
        with pytest.raises(ValidationError, match="déjà enregistrée"):
            declare_absence(
                starts_at=start + datetime.timedelta(hours=2), ends_at=start + datetime.timedelta(hours=6), **arguments
            )
    assert Absence.unscoped.count() == 1


# --- Who reads what -------------------------------------------------------------------------------


def test_reasons_kept_from_families_are_hidden_from_parents_and_students(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    confidential = AbsenceReason.unscoped.create(
        school=cast.school, code="MEDICAL", label="Suivi médical confidentiel", visible_to_parents=False
    )
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(cast.staff)
    response = client.post(
        reverse("attendance:set_reason", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk}),
        {"absences": [absence.pk], "reason": confidential.pk},
    )
    assert response.status_code == 302 and refreshed(absence).reason == confidential
    assert "Suivi médical confidentiel" in page(client, student_url(cast.school, cast.student))
    for person in (cast.parent, cast.student):
        client.force_login(person)
        seen = page(client, student_url(cast.school, cast.student))
        assert "Suivi médical confidentiel" not in seen, person
        assert "Motif connu de la vie scolaire" in seen and "Justifiée" in seen


def test_the_student_and_a_teacher_of_the_class_read_it_a_teacher_of_other_classes_does_not(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(cast.student)
    own = page(client, student_url(cast.school, cast.student))
    assert "Non justifiée" in own and "Justifier une absence" not in own and "Enregistrer une absence" not in own
    assert client.get(student_url(cast.school, cast.classmate)).status_code == 404
    client.force_login(cast.teacher)
    taught = page(client, student_url(cast.school, cast.student))
    assert "Mathématiques" in taught and "Fixer le motif" not in taught
    assert client.get(student_url(cast.school, cast.other_student)).status_code == 404
    client.force_login(cast.parent)
    assert client.get(reverse("attendance:justifications", kwargs={"uai": cast.school.uai})).status_code == 403


def test_a_parent_of_two_children_has_a_tab_for_each(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=cast.parent)
    client.force_login(cast.parent)
    content = page(client, student_url(cast.school, cast.classmate))
    assert 'aria-label="Vos enfants"' in content
    assert f'href="{student_url(cast.school, cast.student)}"' in content
    assert 'aria-current="page">' + cast.classmate.first_name in content


# --- The office -----------------------------------------------------------------------------------


def test_the_office_records_an_absence_then_clears_its_reason(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    client.force_login(cast.staff)
    url = reverse("attendance:record_absence", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk})
    refused = client.post(url, {"starts_at": "2026-11-26T17:00", "ends_at": "2026-11-26T08:00"})
    assert "La fin de l'absence doit venir après son début" in text(refused) and not Absence.unscoped.exists()
    illness = reason(cast.school, "MALADIE")
    response = client.post(url, {"starts_at": "2026-11-26T08:00", "ends_at": "2026-11-26T17:00", "reason": illness.pk})
    assert response.status_code == 302
    absence = Absence.unscoped.get()
    assert (absence.source, absence.reason, absence.created_by_id) == (Absence.Source.OFFICE, illness, cast.staff.pk)
    with school_scope(cast.school):
        sheet = {
            row.membership.user_id: row
            for row in roll_call_sheet(lesson_on(timetable.group_lesson, datetime.date(2026, 11, 26)))
        }
    assert sheet[cast.student.pk].known_absent
    client.post(
        reverse("attendance:set_reason", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk}),
        {"absences": [absence.pk], "reason": ""},
    )
    assert refreshed(absence).reason is None
    assert "Non justifiée" in page(client, student_url(cast.school, cast.student))


def test_the_office_cannot_record_for_someone_who_is_not_a_student_of_the_school(
    client: Client, world: World, timetable: Timetable
) -> None:
    cast = timetable.cast
    client.force_login(cast.staff)
    for person in (world.b.student, cast.teacher):
        url = reverse("attendance:record_absence", kwargs={"uai": cast.school.uai, "student_id": person.pk})
        assert client.post(url, {"starts_at": "2026-11-26T08:00", "ends_at": "2026-11-26T17:00"}).status_code == 404
    assert not Absence.unscoped.exists()


def test_families_and_teachers_do_not_reach_the_offices_writes(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
        )
    kwargs = {"uai": cast.school.uai, "student_id": cast.student.pk}
    for person in (cast.parent, cast.student, cast.teacher):
        client.force_login(person)
        assert client.post(decide_url(justification), {"decision": "accept"}).status_code == 403
        assert (
            client.post(
                reverse("attendance:set_reason", kwargs=kwargs),
                {"absences": [absence.pk], "reason": reason(cast.school, "SCOLAIRE").pk},
            ).status_code
            == 403
        )
    justification.refresh_from_db()
    assert justification.status == Justification.Status.PENDING and refreshed(absence).reason is None
