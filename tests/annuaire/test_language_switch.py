"""The footer's language switch: the pages follow the cookie, the account keeps the choice for what is sent."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def switch(client: Client, language: str) -> int:
    return client.post(reverse("set_language"), {"language": language, "next": "/"}).status_code


def test_a_signed_in_persons_choice_is_kept_on_their_account(client: Client, world) -> None:
    client.force_login(world.a.parent)
    assert switch(client, "en") == 302
    assert 'lang="en"' in client.get("/").content.decode()
    world.a.parent.refresh_from_db()
    assert world.a.parent.language == "en"
    switch(client, "fr")
    world.a.parent.refresh_from_db()
    assert world.a.parent.language == "fr"


def test_signed_out_visitors_switch_too_and_an_unknown_language_is_not_kept(client: Client, world) -> None:
    assert switch(client, "en") == 302
    assert 'lang="en"' in client.get(reverse("account_login")).content.decode()
    client.force_login(world.a.teacher)
    switch(client, "xx")
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.language == ""


def test_on_a_new_device_the_pages_follow_the_accounts_choice(client: Client, world) -> None:
    client.force_login(world.a.parent)
    switch(client, "en")
    fresh = Client()
    fresh.force_login(world.a.parent)
    assert 'lang="en"' in fresh.get("/").content.decode()
    fresh.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # this device's own choice comes first
    assert 'lang="fr"' in fresh.get("/").content.decode()
