"""Absences in a real browser: a parent justifies on a phone, the office refuses from its queue; axe on both pages.

Dates are taken from the day the test runs (the pages show the current school year).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.tenancy import school_scope
from tests.e2e.conftest import DESKTOP, PHONE, requires_chromium
from tests.e2e.test_portal import axe_violations, fits_width, screenshot, sign_in
from tests.vie_scolaire.attendance.attendance_support import PDF, reason, roll_call_absence
from tests.vie_scolaire.conftest import build_timetable
from tests.world import SchoolCast, World
from vie_scolaire.attendance.services.justifications import justify
from vie_scolaire.models import Absence, AbsenceReason, Justification, Lesson

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def yesterdays_absence(world: World) -> Absence:
    """A roll-call absence of the student at a maths lesson moved to yesterday, whatever day the test runs."""
    cast = world.a
    timetable = build_timetable(cast)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with school_scope(cast.school):
        lesson = Lesson.objects.filter(weekly_lesson=timetable.maths).order_by("pk").first()
        Lesson.objects.filter(pk=lesson.pk).update(date=yesterday)  # moved there: no clash with that day's own lessons
        lesson.refresh_from_db()
    return roll_call_absence(cast.student, lesson)


def office_absence(cast: SchoolCast, days_ago: int, code: str | None = None) -> Absence:
    """A whole morning the office recorded, with a reason (maybe one kept from families)."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
    return Absence.unscoped.create(
        school=cast.school,
        student=cast.student,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        source=Absence.Source.OFFICE,
        reason=reason(cast.school, code) if code else None,
    )


def test_a_parent_justifies_an_absence_on_a_phone(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = world.a
    absence = yesterdays_absence(world)
    AbsenceReason.unscoped.create(school=cast.school, code="MEDICAL", label="Suivi médical", visible_to_parents=False)
    office_absence(cast, 3, "MEDICAL")
    page = new_page(PHONE)
    sign_in(page, live_server, cast.parent.username)
    page.goto(
        live_server.url + reverse("attendance:student", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk})
    )
    assert page.get_by_role("heading", name=f"Absences et retards — {cast.student.get_full_name()}").is_visible()
    assert page.get_by_text("Motif connu de la vie scolaire").is_visible()
    screenshot(page, artifacts, "attendance-parent-360")
    assert fits_width(page), "the student's attendance page scrolls sideways at 360 px"
    no_violations(page)

    page.get_by_role("group", name="À justifier").get_by_role("checkbox").first.check()
    page.get_by_label("Motif", exact=True).select_option(label="Maladie de l'enfant")
    page.get_by_label("Commentaire").fill("Fièvre")
    page.get_by_label("Justificatif (facultatif)").set_input_files(
        {"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Envoyer à la vie scolaire").click()
    assert page.get_by_text("Le justificatif est envoyé à la vie scolaire.").is_visible()
    assert page.get_by_text("Justificatif en attente").first.is_visible()
    no_violations(page)
    absence.refresh_from_db()
    assert absence.justification_id is not None


def test_the_office_refuses_from_its_queue(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = world.a
    absence = yesterdays_absence(world)
    accepted = office_absence(cast, 5)
    with school_scope(cast.school):
        pending = justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
            comment="Fièvre",
        )
        justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[accepted.pk],
            reason=reason(cast.school, "TRANSPORT"),
        )
    queue = reverse("attendance:justifications", kwargs={"uai": cast.school.uai})
    for viewport, name in ((PHONE, "360"), (DESKTOP, "1280")):
        page = new_page(viewport)
        sign_in(page, live_server, cast.staff.username)
        page.goto(live_server.url + queue)
        assert page.get_by_role("heading", name="Justificatifs des familles").is_visible()
        screenshot(page, artifacts, f"attendance-queue-{name}")
        assert fits_width(page), f"the queue scrolls sideways at {name} px"
        no_violations(page)
    card = page.get_by_role("article").filter(has_text="Fièvre")
    card.get_by_label("Message à la famille").fill("Merci de fournir un certificat médical.")
    card.get_by_role("button", name=f"Refuser — {cast.student.get_full_name()}").click()
    assert page.get_by_text("La décision est enregistrée et la famille prévenue.").is_visible()
    no_violations(page)
    pending.refresh_from_db()
    assert pending.status == Justification.Status.REFUSED
    assert pending.office_message == "Merci de fournir un certificat médical."
