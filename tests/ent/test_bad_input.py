"""Bad input in tenant URLs: a clear message in French, and nothing changed.

(Wrong activation codes and brute-force sign-in are tested with activation and sign-in.)
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from annuaire.models import Membership
from tests.isolation.targets import snapshot
from tests.world import World

pytestmark = pytest.mark.django_db

UAI_FORMAT = "un UAI compte 7 chiffres suivis d'une lettre (par exemple 0750680G)"
NO_MEMBERSHIP = "Vous n'avez pas de compte actif dans cet établissement."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def text(response: object) -> str:
    """The page as a reader sees it: entities decoded, tags dropped, blanks collapsed."""
    content = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize("path", ["/075068/", "/ABCDEFGH/", "/07506800G/", "/075068/annuaire/"])
@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_malformed_uai_explains_the_format(world: World, path: str, who: str) -> None:
    client = Client() if who == "anonymous" else signed_in(world.a.teacher)
    response = client.get(path)
    assert response.status_code == 404
    page = text(response)
    assert 'lang="fr"' in response.content.decode()
    segment = path.strip("/").split("/")[0]
    assert f"« {segment} » n'est pas un UAI" in page, page
    assert UAI_FORMAT in page


@pytest.mark.parametrize("path", ["/0759999Z/", "/0759999z/", "/0759999Z/annuaire/"])
def test_unknown_school_is_named_in_the_answer(world: World, path: str) -> None:
    response = signed_in(world.a.teacher).get(path)
    assert response.status_code == 404
    assert "Aucun établissement ne porte l'UAI 0759999Z" in text(response)


@pytest.mark.parametrize("role", ["direction", "staff", "teacher", "student", "parent"])
def test_member_of_a_opening_b_is_told_they_have_no_account_there(world: World, role: str) -> None:
    client = signed_in(world.a.users_by_role[role])
    for url in (
        reverse("school_home", kwargs={"uai": world.b.school.uai}),
        reverse("annuaire:directory", kwargs={"uai": world.b.school.uai}),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NO_MEMBERSHIP in text(response)


def test_deactivated_membership_is_refused_everywhere_in_that_school(world: World) -> None:
    teacher, school = world.a.teacher, world.a.school
    client = signed_in(teacher)
    home = reverse("school_home", kwargs={"uai": school.uai})
    assert client.get(home).status_code == 200
    Membership.unscoped.filter(user=teacher, school=school).update(active=False)

    for url in (
        home,
        reverse("annuaire:directory", kwargs={"uai": school.uai}),
        reverse("annuaire:division", kwargs={"uai": school.uai, "division_id": world.a.division.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NO_MEMBERSHIP in text(response)
    api = client.get(f"/api/v1/{school.uai}/divisions/")
    assert api.status_code == 403
    # The personal home no longer offers the school.
    personal = client.get(reverse("home"))
    assert personal.status_code == 200
    assert home not in personal.content.decode()


def test_deactivated_membership_in_one_school_leaves_the_other(world: World) -> None:
    """A teacher shared by two schools, deactivated in A, keeps B."""
    teacher = world.a.teacher
    Membership.unscoped.create(school=world.b.school, user=teacher, profile="teacher")
    Membership.unscoped.filter(user=teacher, school=world.a.school).update(active=False)
    client = signed_in(teacher)
    assert client.get(reverse("school_home", kwargs={"uai": world.a.school.uai})).status_code == 403
    assert client.get(reverse("school_home", kwargs={"uai": world.b.school.uai})).status_code == 200


@pytest.mark.parametrize("role", ["direction", "staff", "teacher", "student", "parent"])
def test_forged_division_id_is_not_found_and_changes_nothing(world: World, role: str) -> None:
    client = signed_in(world.a.users_by_role[role])  # signing in writes last_login: snapshot after
    before = (snapshot(world.a.school), snapshot(world.b.school))
    answers = []
    for division_id in (world.b.division.pk, world.b.other_division.pk, 999_999):
        url = reverse("annuaire:division", kwargs={"uai": world.a.school.uai, "division_id": division_id})
        for response in (client.get(url), client.post(url, {"name": "Piratée", "school": world.a.school.pk})):
            assert response.status_code == 404, url
            answers.append(text(response))
    # Another school's class and a class that does not exist get the same answer: nothing is revealed.
    assert len(set(answers)) == 1
    assert all("Cette classe n'existe pas ou vous n'y avez pas accès." in answer for answer in answers)
    assert (snapshot(world.a.school), snapshot(world.b.school)) == before


def test_forged_membership_id_in_a_heads_action_is_not_found_and_changes_nothing(world: World) -> None:
    """A's head posting "deactivate" on B's student through A's URL: 404, B's student still active."""
    before = snapshot(world.b.school)
    client = signed_in(world.a.direction)
    url = reverse(
        "annuaire_admin:account_deactivate",
        kwargs={"uai": world.a.school.uai, "membership_id": world.b.student_membership.pk},
    )
    response = client.post(url)
    assert response.status_code == 404
    assert Membership.unscoped.get(pk=world.b.student_membership.pk).active
    assert snapshot(world.b.school) == before
