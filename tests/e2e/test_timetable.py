"""The timetable in a real browser: a student's week on a phone and a desktop, and the vie
scolaire cancelling a teacher's lesson, which the student then sees struck through."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from annuaire.models import User
from tests.e2e.conftest import DESKTOP, PHONE, requires_chromium
from tests.e2e.test_portal import axe_violations, fits_width, screenshot, sign_in
from tests.vie_scolaire.conftest import MONDAY, build_timetable, paris_time
from tests.vie_scolaire.grades.grades_world import TODAY as GRADES_TODAY
from tests.world import World

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEEK = f"?date={MONDAY.isoformat()}"


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_student_opens_their_week_and_the_next(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, viewport: dict[str, int]
) -> None:
    build_timetable(world.a)
    page = new_page(viewport)
    sign_in(page, live_server, world.a.student.username)
    page.goto(live_server.url + reverse("timetable:mine", kwargs={"uai": world.a.school.uai}) + WEEK)
    monday = page.get_by_role("region", name="Lundi 30 novembre")
    assert monday.get_by_text("Mathématiques").is_visible()
    assert page.get_by_text("Semaine B").is_visible()
    screenshot(page, artifacts, f"timetable-student-{viewport['width']}")
    assert fits_width(page), f"the week scrolls sideways at {viewport['width']} px"
    no_violations(page)
    page.get_by_role("link", name="Semaine suivante →").click()
    page.wait_for_url(lambda url: url.endswith("date=2026-12-07"))
    assert page.get_by_role("heading", name="Semaine du 7 décembre au 11 décembre 2026").is_visible()
    assert page.get_by_role("region", name="Mardi 8 décembre").get_by_text("Physique").is_visible()  # week A


def test_the_vie_scolaire_cancels_a_teachers_lesson_and_the_student_sees_it(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    build_timetable(world.a)
    uai = world.a.school.uai
    staff = new_page(DESKTOP)
    sign_in(staff, live_server, world.a.staff.username)
    teacher_week = reverse("timetable:teacher", kwargs={"uai": uai, "teacher_id": world.a.teacher.pk})
    staff.goto(live_server.url + teacher_week + WEEK)
    staff.get_by_role("region", name="Lundi 30 novembre").get_by_role("link", name="Modifier").click()
    staff.wait_for_url(lambda url: "/modifier/" in url)
    no_violations(staff)
    staff.get_by_label("Annuler le cours").check()
    staff.get_by_label("Motif").fill("Professeur en formation")
    screenshot(staff, artifacts, "timetable-cancel-form")
    staff.get_by_role("button", name="Enregistrer et prévenir").click()
    staff.wait_for_url(lambda url: url.endswith(teacher_week + WEEK))
    assert staff.get_by_text("La séance est modifiée").is_visible()
    assert staff.get_by_role("region", name="Lundi 30 novembre").get_by_text("Annulé").is_visible()

    student = new_page(PHONE)
    sign_in(student, live_server, world.a.student.username)
    student.goto(live_server.url + reverse("timetable:mine", kwargs={"uai": uai}) + WEEK)
    monday = student.get_by_role("region", name="Lundi 30 novembre")
    assert monday.get_by_text("Motif : Professeur en formation").is_visible()
    assert monday.locator("del", has_text="Mathématiques").is_visible()
    screenshot(student, artifacts, "timetable-student-cancelled-360")
    no_violations(student)


def test_the_calendar_and_import_pages_pass_axe(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    build_timetable(world.a)
    head = new_page(PHONE)
    sign_in(head, live_server, world.a.direction.username)
    head.goto(live_server.url + reverse("timetable_admin:calendar", kwargs={"uai": world.a.school.uai}) + "?annee=2026")
    assert head.get_by_role("heading", name="Calendrier 2026-2027").is_visible()
    screenshot(head, artifacts, "calendar-head-360")
    assert fits_width(head), "the calendar page scrolls sideways at 360 px"
    no_violations(head)
    head.goto(live_server.url + reverse("timetable_admin:import", kwargs={"uai": world.a.school.uai}))
    screenshot(head, artifacts, "timetable-import-360")
    assert fits_width(head), "the import page scrolls sideways at 360 px"
    no_violations(head)
    city = new_page(DESKTOP)
    sign_in(city, live_server, world.city_admin.username)
    city.goto(live_server.url + reverse("city_holidays") + "?annee=2026")
    screenshot(city, artifacts, "calendar-city-1280")
    no_violations(city)


def test_a_teacher_enters_grades_with_the_keyboard_and_finds_them_after_reload(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.vie_scolaire.grades.grades_world import build_gradebook

    # The term's grades are open on the gradebook's day, whatever day the test runs.
    monkeypatch.setattr(timezone, "localdate", lambda *args: GRADES_TODAY)
    book = build_gradebook(world.a)
    # The grid is by name: the student first, the classmate under them.
    User.objects.filter(pk=world.a.student.pk).update(last_name="Arnaud")
    User.objects.filter(pk=world.a.classmate.pk).update(last_name="Zola")
    world.a.student.refresh_from_db()
    world.a.classmate.refresh_from_db()
    page = new_page(DESKTOP)
    sign_in(page, live_server, world.a.teacher.username)
    url = reverse("grades:grid", kwargs={"uai": world.a.school.uai, "assignment_id": world.a.assignment.pk})
    page.goto(live_server.url + url + f"?periode={book.term.pk}")
    first = page.get_by_label(f"Note de {world.a.student.get_full_name()}, Contrôle du 2 novembre")
    first.click()
    first.fill("15,5")
    page.keyboard.press("Enter")  # saves, then moves down to the classmate
    page.keyboard.type("abs")
    page.keyboard.press("ArrowUp")  # leaving the cell saves it too
    page.keyboard.press("ArrowRight")
    page.keyboard.type("25")  # above the /10 scale: refused, the cell says so
    page.keyboard.press("Enter")
    page.wait_for_selector(".grade-cell--error")
    assert "dépasse le barème (10)" in page.locator(".grade-cell--error").inner_text()
    page.wait_for_function("document.querySelectorAll('.grade-cell--saved').length >= 2")
    screenshot(page, artifacts, "grades-grid-1280")
    no_violations(page)
    page.reload()
    assert first.input_value() == "15,5"
    classmate = page.get_by_label(f"Note de {world.a.classmate.get_full_name()}, Contrôle du 2 novembre")
    assert classmate.input_value() == "Abs"


def test_the_grades_pages_pass_axe(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.vie_scolaire.grades.grades_world import build_gradebook

    # The term's grades are open on the gradebook's day, whatever day the test runs.
    monkeypatch.setattr(timezone, "localdate", lambda *args: GRADES_TODAY)
    book = build_gradebook(world.a)
    uai = world.a.school.uai
    student = new_page(PHONE)
    sign_in(student, live_server, world.a.student.username)
    pages = {
        "grades-student-360": reverse("grades:student", kwargs={"uai": uai, "student_id": world.a.student.pk}),
        "grades-explained-360": reverse(
            "grades:explain",
            kwargs={"uai": uai, "student_id": world.a.student.pk, "assignment_id": world.a.assignment.pk},
        ),
    }
    for name, path in pages.items():
        student.goto(live_server.url + path + f"?periode={book.term.pk}")
        screenshot(student, artifacts, name)
        assert fits_width(student), f"{name} scrolls sideways"
        no_violations(student)
    head = new_page(DESKTOP)
    sign_in(head, live_server, world.a.direction.username)
    head.goto(live_server.url + reverse("grades:council", kwargs={"uai": uai, "division_id": world.a.division.pk}))
    screenshot(head, artifacts, "council-1280")
    no_violations(head)


def test_a_teacher_takes_a_roll_call_on_a_phone(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, time_machine: Any
) -> None:
    from schools.tenancy import school_scope
    from vie_scolaire.models import Absence, Lesson

    timetable = build_timetable(world.a)
    # Monday 30 November at 8:20, in the 8:00 mathematics lesson; the clock goes on from there.
    time_machine.move_to(paris_time(MONDAY, 8, 20), tick=True)
    with school_scope(world.a.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
    page = new_page(PHONE)
    sign_in(page, live_server, world.a.teacher.username)
    page.goto(
        live_server.url + reverse("timetable:roll_call", kwargs={"uai": world.a.school.uai, "lesson_id": lesson.pk})
    )
    no_violations(page)
    page.get_by_label(f"Absent {world.a.student.get_full_name()}").check()
    page.get_by_label(f"Retard (min) {world.a.classmate.get_full_name()}").fill("5")
    screenshot(page, artifacts, "roll-call-360")
    assert fits_width(page), "the roll call scrolls sideways at 360 px"
    page.get_by_role("button", name="Enregistrer l'appel").click()
    page.wait_for_url(lambda url: "/appel/" not in url)
    assert page.get_by_text("L'appel est enregistré.").is_visible()
    with school_scope(world.a.school):
        assert list(Absence.objects.values_list("student", flat=True)) == [world.a.student.pk]


def test_a_roll_call_before_its_window_and_the_schools_rules_pass_axe(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, time_machine: Any
) -> None:
    from schools.tenancy import school_scope
    from vie_scolaire.models import Lesson

    timetable = build_timetable(world.a)
    time_machine.move_to(paris_time(MONDAY, 1, 45), tick=True)  # a tap on the wrong lesson at night
    with school_scope(world.a.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
    page = new_page(PHONE)
    sign_in(page, live_server, world.a.teacher.username)
    page.goto(
        live_server.url + reverse("timetable:roll_call", kwargs={"uai": world.a.school.uai, "lesson_id": lesson.pk})
    )
    assert page.get_by_text("L'appel de cette séance ouvre le lundi 30 novembre à 07:50.").is_visible()
    assert page.get_by_role("button", name="Enregistrer l'appel").count() == 0
    screenshot(page, artifacts, "roll-call-not-open-360")
    no_violations(page)
    head = new_page(PHONE)
    sign_in(head, live_server, world.a.direction.username)
    head.goto(live_server.url + reverse("attendance:rules", kwargs={"uai": world.a.school.uai}))
    head.get_by_label("ouverture de l'appel avant la séance (minutes)").fill("5")
    head.get_by_role("button", name="Enregistrer").click()
    assert head.get_by_text("Les règles de la vie scolaire sont enregistrées.").is_visible()
    screenshot(head, artifacts, "attendance-rules-360")
    assert fits_width(head), "the rules page scrolls sideways at 360 px"
    no_violations(head)
