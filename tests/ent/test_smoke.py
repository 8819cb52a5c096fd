import pytest
from django.urls import reverse

from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_member_reaches_school_home_and_directory(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("school_home", kwargs={"uai": world.a.school.uai}))
    assert response.status_code == 200
    assert world.a.school.name in response.content.decode()
    response = client.get(
        reverse("annuaire:division", kwargs={"uai": world.a.school.uai, "division_id": world.a.division.pk})
    )
    assert response.status_code == 200
    assert world.a.student.last_name.upper() in response.content.decode()


def test_login_page_in_french(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert DEMO_PASSWORD  # the factories' password is the demo one


def test_api_refusals_from_the_tenant_middleware_are_json(client, world):
    client.force_login(world.a.teacher)
    response = client.get("/api/v1/0759999Z/divisions/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucun établissement ne porte l'UAI 0759999Z."}


def test_navigation_marks_only_the_current_administration_page(client, world):
    client.force_login(world.a.direction)
    html = client.get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai})).content.decode()
    assert html.count('aria-current="page"') == 1
    accounts_url = reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai})
    assert f'href="{accounts_url}" aria-current="page"' in html


def test_english_is_available_through_the_language_switch(client, world):
    client.force_login(world.a.parent)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Skip to content" in html
    assert "My schools" in html or "My school" in html


def test_refusal_page_does_not_present_the_foreign_school_as_current(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("school_home", kwargs={"uai": world.b.school.uai}))
    assert response.status_code == 403
    assert world.b.school.name not in response.content.decode()


def test_mistyped_uai_of_letters_is_explained_but_known_prefixes_are_not(client):
    assert "pas un UAI" in client.get("/ABCDEFGH/").content.decode()
    html = client.get("/accounts/nothing-here/").content.decode()
    assert "pas un UAI" not in html


def test_browser_language_does_not_override_french(client, world):
    client.force_login(world.a.parent)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="fr"' in html
    assert "Aller au contenu" in html
