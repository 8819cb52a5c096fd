"""Announcements and the notification center in a real browser, checked by axe: the head writes to a
division on a phone, a parent finds it on the school's home page, opens it, then their notifications."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.e2e.conftest import DESKTOP, PHONE, requires_chromium
from tests.e2e.test_portal import axe_violations, fits_width, screenshot, sign_in
from tests.world import World

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def test_the_head_writes_and_a_parent_reads_with_their_notifications(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    cast = world.a
    uai = cast.school.uai
    head = new_page(PHONE)
    sign_in(head, live_server, cast.direction.username)
    head.goto(live_server.url + reverse("announcements:new", kwargs={"uai": uai}))
    no_violations(head)
    assert fits_width(head)
    head.get_by_label("Titre").fill("Sortie au musée d'Orsay")
    head.get_by_label("Texte").fill("Vendredi, prévoir un pique-nique.")
    head.get_by_label("Ou des classes").select_option(label=cast.division.name)
    head.get_by_role("button", name="Publier").click()
    head.wait_for_url("**/actualites/")
    no_violations(head)
    screenshot(head, artifacts, "announcements-list-head")

    parent = new_page(DESKTOP)
    sign_in(parent, live_server, cast.parent.username)
    parent.goto(live_server.url + reverse("school_home", kwargs={"uai": uai}))
    assert parent.get_by_text("nouvelle").count() == 1
    no_violations(parent)
    parent.get_by_role("link", name="Sortie au musée d'Orsay").click()
    no_violations(parent)
    parent.goto(live_server.url + reverse("notifications:list"))
    assert parent.get_by_text("Sortie au musée d'Orsay").count() >= 1
    no_violations(parent)
    parent.goto(live_server.url + reverse("notifications:preferences"))
    no_violations(parent)
    screenshot(parent, artifacts, "notification-preferences")
