"""The office's reason set directly on absences a family's pending justification covers decides it."""

from __future__ import annotations

import datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annuaire.models import User
from communication.models import Notification
from schools.tenancy import school_scope
from tests.vie_scolaire.attendance.attendance_support import (
    LAST_MONDAY,
    decide_url,
    lateness,
    lesson_on,
    reason,
    refreshed,
    roll_call_absence,
)
from tests.vie_scolaire.conftest import Timetable
from vie_scolaire.attendance.services.justifications import decide_justification, justify, set_reason
from vie_scolaire.models import Absence, Justification, Lateness

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _monday_morning(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(MOMENT, tick=False):
        yield


def told(recipient: User) -> list[Notification]:
    return list(Notification.unscoped.filter(recipient=recipient, kind="attendance.justification"))


def pending_justification(timetable: Timetable) -> tuple[Justification, Absence, Lateness]:
    """The parent justifies an absence and a lateness of last week at once."""
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    late = lateness(cast.student, lesson_on(timetable.group_lesson, datetime.date(2026, 11, 26)))
    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            lateness_ids=[late.pk],
            reason=reason(cast.school, "MALADIE"),
        )
    return justification, absence, late


def set_reason_url(timetable: Timetable) -> str:
    cast = timetable.cast
    return reverse("attendance:set_reason", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk})


def queue(client: Client, timetable: Timetable) -> str:
    response = client.get(reverse("attendance:justifications", kwargs={"uai": timetable.cast.school.uai}))
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize(
    ("code", "status"),
    [("TRANSPORT", Justification.Status.ACCEPTED), ("NON_RECEVABLE", Justification.Status.REFUSED)],
    ids=["accepted", "refused"],
)
def test_a_reason_on_every_row_closes_the_justification_and_tells_the_family_once(
    client: Client, timetable: Timetable, code: str, status: str
) -> None:
    cast = timetable.cast
    justification, absence, late = pending_justification(timetable)
    client.force_login(cast.staff)
    assert decide_url(justification) in queue(client, timetable)
    retained = reason(cast.school, code)
    response = client.post(
        set_reason_url(timetable), {"absences": [absence.pk], "latenesses": [late.pk], "reason": retained.pk}
    )
    assert response.status_code == 302

    justification.refresh_from_db()
    assert (justification.status, justification.decided_by_id) == (status, cast.staff.pk)
    assert justification.decided_at == timezone.now()
    assert justification.office_message == f"Motif retenu par la vie scolaire : {retained.label}."
    assert refreshed(absence).reason == retained and Lateness.unscoped.get(pk=late.pk).reason == retained
    assert decide_url(justification) not in queue(client, timetable)  # no longer waiting for the office
    [notice] = told(cast.parent)
    assert retained.label in notice.body
    # Setting a reason again on the same rows decides nothing new and tells nobody again.
    client.post(set_reason_url(timetable), {"absences": [absence.pk], "reason": reason(cast.school, "FAMILLE").pk})
    assert len(told(cast.parent)) == 1


def test_a_reason_on_some_rows_leaves_the_justification_pending_until_the_rest_is_covered(
    timetable: Timetable,
) -> None:
    cast = timetable.cast
    justification, absence, late = pending_justification(timetable)
    with school_scope(cast.school):
        set_reason(
            school=cast.school,
            student=cast.student,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "SCOLAIRE"),
            decided_by=cast.staff,
        )
        justification.refresh_from_db()
        assert justification.status == Justification.Status.PENDING and told(cast.parent) == []
        # Clearing a reason decides nothing either.
        set_reason(school=cast.school, student=cast.student, lateness_ids=[late.pk], reason=None, decided_by=cast.staff)
        justification.refresh_from_db()
        assert justification.status == Justification.Status.PENDING
        # The lateness left: once covered, nothing waits any more and the justification is closed.
        set_reason(
            school=cast.school,
            student=cast.student,
            lateness_ids=[late.pk],
            reason=reason(cast.school, "TRANSPORT"),
            decided_by=cast.direction,
        )
    justification.refresh_from_db()
    assert (justification.status, justification.decided_by_id) == (Justification.Status.ACCEPTED, cast.direction.pk)
    assert refreshed(absence).reason.code == "SCOLAIRE"  # the office's first reason stays on its row
    assert len(told(cast.parent)) == 1


def test_accepting_in_the_queue_after_a_partial_reason_keeps_the_offices_own_reason(timetable: Timetable) -> None:
    cast = timetable.cast
    justification, absence, late = pending_justification(timetable)
    with school_scope(cast.school):
        set_reason(
            school=cast.school,
            student=cast.student,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "SCOLAIRE"),
            decided_by=cast.staff,
        )
        decide_justification(justification=justification, decided_by=cast.staff, accept=True)
    assert refreshed(absence).reason.code == "SCOLAIRE"
    assert Lateness.unscoped.get(pk=late.pk).reason.code == "MALADIE"
    assert len(told(cast.parent)) == 1
