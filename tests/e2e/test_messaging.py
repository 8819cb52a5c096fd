"""Messaging in a real browser: a parent writes to a teacher on a phone, the teacher answers, the parent reads it."""

from __future__ import annotations

import json
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
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def test_a_parent_writes_to_a_teacher_and_reads_the_answer(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    cast = world.a
    uai = cast.school.uai
    parent = new_page(PHONE)
    sign_in(parent, live_server, cast.parent.username)
    parent.goto(live_server.url + reverse("messaging:compose", kwargs={"uai": uai}))
    parent.get_by_role("textbox", name="Rechercher une personne").fill(cast.teacher.last_name)
    parent.get_by_role("button", name="Rechercher").click()
    parent.wait_for_load_state()
    parent.get_by_role("checkbox", name=cast.teacher.get_full_name()).check()
    parent.get_by_role("textbox", name="Objet").fill("Exercice de mathématiques")
    parent.get_by_role("textbox", name="Message").fill("Bonjour, quelle page pour l'exercice 4 ?")
    no_violations(parent)
    screenshot(parent, artifacts, "messaging-compose-360")
    assert fits_width(parent), "the compose page scrolls sideways at 360 px"
    parent.get_by_role("button", name="Envoyer", exact=True).click()
    parent.wait_for_load_state()
    assert parent.get_by_text("Votre message est envoyé.").is_visible()

    teacher = new_page(DESKTOP)
    sign_in(teacher, live_server, cast.teacher.username)
    teacher.goto(live_server.url + reverse("messaging:inbox", kwargs={"uai": uai}))
    assert teacher.get_by_text("1 non lu").first.is_visible()
    no_violations(teacher)
    teacher.get_by_role("link", name="Exercice de mathématiques").click()
    teacher.wait_for_load_state()
    teacher.get_by_role("textbox", name="Votre réponse").fill("C'est la page 52.")
    teacher.get_by_role("button", name="Envoyer la réponse").click()
    teacher.wait_for_load_state()
    assert teacher.get_by_text("Votre réponse est envoyée.").is_visible()

    parent.goto(live_server.url + reverse("messaging:inbox", kwargs={"uai": uai}))
    assert parent.get_by_text("1 non lu").first.is_visible()
    no_violations(parent)
    assert fits_width(parent), "the inbox scrolls sideways at 360 px"
    parent.get_by_role("link", name="Exercice de mathématiques").click()
    parent.wait_for_load_state()
    assert parent.get_by_text("C'est la page 52.").is_visible()
    no_violations(parent)
    screenshot(parent, artifacts, "messaging-conversation-360")
    assert fits_width(parent), "the conversation scrolls sideways at 360 px"
