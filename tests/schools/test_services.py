"""Per-school services: a head switches each module on, off, or to an external tool; URLs and navigation follow."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm

from annuaire.models import Profile
from schools import modules
from schools.models import SchoolService
from schools.permissions import MANAGE_SERVICES
from schools.services import set_service_state

pytestmark = pytest.mark.django_db

EXTERNAL = "https://pronote.example.org/college-a/"


def services_url(school) -> str:
    return reverse("schools:services", kwargs={"uai": school.uai})


def directory_url(school) -> str:
    return reverse("annuaire:directory", kwargs={"uai": school.uai})


def rows(school) -> list[tuple[str, str, str]]:
    return list(SchoolService.unscoped.filter(school=school).values_list("module", "state", "external_url"))


def post_state(client, school, state: str, url: str = "", module: str = "annuaire"):
    return client.post(
        services_url(school), {"module": module, f"{module}-state": state, f"{module}-external_url": url}
    )


def nav_entries(client, school):
    response = client.get(reverse("school_home", kwargs={"uai": school.uai}))
    assert response.status_code == 200
    return response, response.context["navigation"].entries


# --- the service -------------------------------------------------------------------


def test_service_switches_a_module_off_then_external_then_on(world):
    school = world.a.school
    service = set_service_state(
        school=school, module="annuaire", state="off", external_url="", changed_by=world.a.direction
    )
    assert rows(school) == [("annuaire", "off", "")]
    assert service.changed_by == world.a.direction
    service = set_service_state(
        school=school, module="annuaire", state="external", external_url=EXTERNAL, changed_by=world.city_admin
    )
    assert service.changed_by == world.city_admin
    assert rows(school) == [("annuaire", "external", EXTERNAL)]
    # Back on: the address is dropped, only the external state keeps one.
    set_service_state(school=school, module="annuaire", state="on", external_url=EXTERNAL, changed_by=None)
    assert rows(school) == [("annuaire", "on", "")]
    assert rows(world.b.school) == []


@pytest.mark.parametrize(
    ("module", "state", "url", "message"),
    [
        ("notes-inexistantes", "off", "", "n'existe pas"),
        ("annuaire", "paused", "", "n'existe pas"),
        ("annuaire", "external", "", "Indiquez l'adresse"),
        ("annuaire", "external", "http://pronote.example.org/", "https://"),
        ("annuaire", "external", "javascript:alert(1)", "https://"),
        ("annuaire", "external", "https://", "https://"),
        ("annuaire", "external", "https://example.org/" + "x" * 200, "trop longue"),
    ],
)
def test_service_refuses_bad_input_and_changes_nothing(world, module, state, url, message):
    school = world.a.school
    set_service_state(school=school, module="annuaire", state="off", external_url="", changed_by=None)
    with pytest.raises(ValidationError) as refused:
        set_service_state(school=school, module=module, state=state, external_url=url, changed_by=None)
    assert message in " ".join(refused.value.messages)
    assert rows(school) == [("annuaire", "off", "")]


# --- the page ------------------------------------------------------------------------


def test_page_lists_every_registered_module_with_its_state(client, world):
    client.force_login(world.a.direction)
    response = client.get(services_url(world.a.school))
    assert response.status_code == 200
    content = unescape(response.content.decode())
    registered = modules.all_modules()
    assert registered  # the directory at least
    for module in registered:
        assert str(module.label) in content
        assert f'name="{module.code}-state"' in content
    assert "Activé" in content
    assert 'lang="fr"' in content or "Services de l’établissement" in content


def test_a_module_registered_for_everyone_serves_every_profile_of_a_membership() -> None:
    # `schools` spells annuaire's profiles out (it imports nothing of ours): the two lists must not drift apart.
    assert set(Profile.values) == modules.EVERY_PROFILE


def test_switching_the_directory_off_hides_it_and_its_urls_answer_404(client, world):
    client.force_login(world.a.direction)
    _, entries = nav_entries(client, world.a.school)
    assert directory_url(world.a.school) in [entry.url for entry in entries]

    response = post_state(client, world.a.school, "off")
    assert response.status_code == 302
    assert rows(world.a.school) == [("annuaire", "off", "")]

    response = client.get(services_url(world.a.school))
    assert "Le service « Annuaire » est désactivé." in unescape(response.content.decode())

    for url in (
        directory_url(world.a.school),
        reverse("annuaire:division", kwargs={"uai": world.a.school.uai, "division_id": world.a.division.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Le service « Annuaire » n'est pas activé dans cet établissement." in unescape(response.content.decode())

    response, entries = nav_entries(client, world.a.school)
    assert directory_url(world.a.school) not in [entry.url for entry in entries]
    assert directory_url(world.a.school) not in response.content.decode()

    # School B keeps its directory.
    client.force_login(world.b.direction)
    assert client.get(directory_url(world.b.school)).status_code == 200


def test_external_link_replaces_the_module_in_navigation_and_urls(client, world):
    client.force_login(world.a.direction)
    response = post_state(client, world.a.school, "external", EXTERNAL)
    assert response.status_code == 302
    assert rows(world.a.school) == [("annuaire", "external", EXTERNAL)]

    client.force_login(world.a.student)
    response, entries = nav_entries(client, world.a.school)
    external = [entry for entry in entries if entry.external]
    assert [(str(entry.label), entry.url) for entry in external] == [("Annuaire", EXTERNAL)]
    assert f'href="{EXTERNAL}"' in response.content.decode()
    assert directory_url(world.a.school) not in response.content.decode()

    response = client.get(directory_url(world.a.school))
    assert response.status_code == 302
    assert response["Location"] == EXTERNAL


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Indiquez l'adresse (https://…) de l'outil qui remplace ce service."),
        ("http://pronote.example.org/", "doit commencer par https://"),
        ("ftp://pronote.example.org/", "doit commencer par https://"),
        ("pas une adresse", "doit commencer par https://"),
    ],
)
def test_page_refuses_external_without_an_https_url(client, world, url, message):
    client.force_login(world.a.direction)
    response = post_state(client, world.a.school, "external", url)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert rows(world.a.school) == []
    assert client.get(directory_url(world.a.school)).status_code == 200


def test_page_refuses_unknown_module_and_state(client, world):
    client.force_login(world.a.direction)
    response = post_state(client, world.a.school, "off", module="inconnu")
    assert response.status_code == 400
    assert "Ce service n'existe pas : rien n'a été modifié." in unescape(response.content.decode())
    response = post_state(client, world.a.school, "pause")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in unescape(response.content.decode())
    assert rows(world.a.school) == []


@pytest.mark.parametrize("role", ["teacher", "staff", "student", "parent"])
def test_members_without_the_right_get_403_and_change_nothing(client, world, role):
    client.force_login(world.a.users_by_role[role])
    assert client.get(services_url(world.a.school)).status_code == 403
    assert post_state(client, world.a.school, "off").status_code == 403
    assert rows(world.a.school) == []


def test_head_of_school_b_cannot_manage_school_a(client, world):
    client.force_login(world.b.direction)
    assert client.get(services_url(world.a.school)).status_code == 403
    assert post_state(client, world.a.school, "off").status_code == 403
    assert rows(world.a.school) == []


def test_delegate_manages_services(client, world):
    assign_perm(MANAGE_SERVICES, world.a.teacher, world.a.school)
    client.force_login(world.a.teacher)
    assert client.get(services_url(world.a.school)).status_code == 200
    assert post_state(client, world.a.school, "off").status_code == 302
    assert rows(world.a.school) == [("annuaire", "off", "")]
    # The delegation holds in school A only.
    client.force_login(world.b.teacher)
    assert client.get(services_url(world.b.school)).status_code == 403


def test_city_admin_manages_services_of_any_school(client, world):
    client.force_login(world.city_admin)
    for cast in (world.a, world.b):
        assert client.get(services_url(cast.school)).status_code == 200
    assert post_state(client, world.b.school, "off").status_code == 302
    assert rows(world.b.school) == [("annuaire", "off", "")]
    assert rows(world.a.school) == []


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(services_url(world.a.school))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
