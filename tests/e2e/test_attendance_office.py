"""The vie scolaire office's pages in a real browser: the desk, the statistics and the legal count
pass axe and fit a phone's width."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import DESKTOP, PHONE, requires_chromium
from tests.e2e.test_portal import axe_violations, fits_width, screenshot, sign_in
from tests.vie_scolaire.attendance.half_day_support import absent, absent_from, at, late, lesson, reasons
from tests.vie_scolaire.attendance.test_attendance_thresholds import build_month
from tests.world import SchoolCast, World

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def build_today(cast: SchoolCast) -> None:
    """Whatever day the test runs: a lesson started at midnight without its roll call, absences, a lateness."""
    today = timezone.localdate()
    first = lesson(cast.school, today, (0, 0), (0, 30), divisions=[cast.division])
    absent_from(cast.student, first)
    late(cast.classmate, first, minutes=7)
    absent(cast.other_student, at(today, 0), at(today + datetime.timedelta(days=1), 0))
    absent(cast.classmate, at(today - datetime.timedelta(days=2), 8), at(today - datetime.timedelta(days=2), 12))
    absent(
        cast.student,
        at(today - datetime.timedelta(days=3), 8),
        at(today - datetime.timedelta(days=3), 12),
        reason=reasons(cast.school)["NON_RECEVABLE"],
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_office_desk_passes_axe(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, viewport: dict[str, int]
) -> None:
    cast = world.a
    build_today(cast)
    page = new_page(viewport)
    sign_in(page, live_server, cast.staff.username)
    page.goto(live_server.url + reverse("attendance:desk", kwargs={"uai": cast.school.uai}))
    assert page.get_by_role("heading", name="Bureau de la vie scolaire").is_visible()
    assert page.get_by_text(cast.other_student.get_full_name()).is_visible()
    screenshot(page, artifacts, f"attendance-desk-{viewport['width']}")
    assert fits_width(page), f"the desk scrolls sideways at {viewport['width']} px"
    no_violations(page)
    # The division filter, with the keyboard's labelled select.
    page.get_by_label("Classe", exact=True).select_option(label=cast.division.name)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(lambda url: f"classe={cast.division.pk}" in url)
    assert not page.get_by_text(cast.other_student.get_full_name()).is_visible()
    no_violations(page)


def test_the_statistics_and_the_legal_count_pass_axe(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    cast = world.a
    build_month(cast)
    uai = cast.school.uai
    page = new_page(PHONE)
    sign_in(page, live_server, cast.direction.username)
    statistics = reverse("attendance:statistics", kwargs={"uai": uai})
    page.goto(live_server.url + statistics + f"?du=2026-11-01&au=2026-11-30&classe={cast.division.pk}")
    assert page.get_by_role("heading", name="Statistiques d'assiduité").is_visible()
    screenshot(page, artifacts, "attendance-statistics-360")
    assert fits_width(page), "the statistics scroll sideways at 360 px"
    no_violations(page)
    page.goto(live_server.url + reverse("attendance:thresholds", kwargs={"uai": uai}) + "?mois=2026-11")
    assert page.get_by_role("heading", name="10 demi-journées ou plus").is_visible()
    assert page.get_by_role("row", name="Absent10").is_visible()
    screenshot(page, artifacts, "attendance-thresholds-360")
    assert fits_width(page), "the legal count scrolls sideways at 360 px"
    no_violations(page)
    page.get_by_role("link", name="← octobre 2026").click()
    page.wait_for_url(lambda url: url.endswith("mois=2026-10"))
    assert page.locator(".page-header__subtitle").inner_text() == "Octobre 2026"
