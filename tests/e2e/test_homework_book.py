"""The homework book in a real browser: a teacher gives homework on a phone, the student reads and ticks it."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cahier_textes.models import HomeworkDone
from schools.tenancy import school_scope
from tests.e2e.conftest import DESKTOP, PHONE, requires_chromium
from tests.e2e.test_portal import axe_violations, fits_width, screenshot, sign_in
from tests.vie_scolaire.conftest import MONDAY, build_timetable
from tests.world import World
from vie_scolaire.models import Lesson

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def test_a_teacher_gives_homework_and_the_student_sees_and_ticks_it(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pages read "today" in the server's thread, the same process: Monday 30 November 2026.
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)
    cast = world.a
    timetable = build_timetable(cast)
    with school_scope(cast.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
    uai = cast.school.uai
    teacher = new_page(PHONE)
    sign_in(teacher, live_server, cast.teacher.username)
    teacher.goto(live_server.url + reverse("homework:lesson", kwargs={"uai": uai, "lesson_id": lesson.pk}))
    teacher.get_by_role("textbox", name="Contenu de la séance").fill("Les fractions : comparer, simplifier.")
    teacher.get_by_role("button", name="Enregistrer le contenu").click()
    teacher.wait_for_load_state()
    teacher.get_by_role("textbox", name="Travail à faire").fill("Exercices 5 à 8 page 52")
    teacher.get_by_role("spinbutton", name="Durée estimée (minutes)").fill("30")
    no_violations(teacher)
    screenshot(teacher, artifacts, "homework-give-360")
    assert fits_width(teacher), "the lesson's book scrolls sideways at 360 px"
    teacher.get_by_role("button", name="Donner ce travail").click()
    teacher.wait_for_load_state()
    assert teacher.get_by_text("Le travail à faire est enregistré.").is_visible()

    student = new_page(PHONE)
    sign_in(student, live_server, cast.student.username)
    due = (MONDAY + datetime.timedelta(days=7)).isoformat()
    student.goto(live_server.url + reverse("homework:home", kwargs={"uai": uai}) + f"?date={due}")
    assert student.get_by_text("Exercices 5 à 8 page 52").is_visible()
    student.get_by_text("Fait en classe le").click()
    assert student.get_by_text("Les fractions : comparer, simplifier.").is_visible()
    no_violations(student)
    screenshot(student, artifacts, "homework-student-360")
    assert fits_width(student), "the student's homework scrolls sideways at 360 px"
    student.get_by_role("button", name="Marquer comme fait").click()
    student.wait_for_load_state()
    assert student.get_by_role("button", name="Fait ✓ (annuler)").is_visible()
    with school_scope(cast.school):
        assert HomeworkDone.objects.filter(student=cast.student).count() == 1

    head = new_page(DESKTOP)
    sign_in(head, live_server, cast.direction.username)
    head.goto(
        live_server.url
        + reverse("homework:division", kwargs={"uai": uai, "division_id": cast.division.pk})
        + f"?date={due}"
    )
    assert head.get_by_text("Exercices 5 à 8 page 52").is_visible()
    no_violations(head)
    screenshot(head, artifacts, "homework-division-1280")
    head.goto(
        live_server.url
        + reverse("homework:workload", kwargs={"uai": uai, "division_id": cast.division.pk})
        + f"?date={due}"
    )
    no_violations(head)
