"""The directory's API: who am I, divisions, accounts; tenant isolation, schema, throttling."""

from __future__ import annotations

import json

import pytest
import yaml
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from annuaire.models import Profile
from annuaire.services.tokens import create_token
from schools.models import SchoolService
from tests.budgets import max_queries
from tests.factories import GuardianshipFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def divisions_url(school) -> str:
    return reverse("api-divisions", kwargs={"uai": school.uai})


def division_url(school, division) -> str:
    return reverse("api-division", kwargs={"uai": school.uai, "division_id": division.pk})


def accounts_url(school) -> str:
    return reverse("api-accounts", kwargs={"uai": school.uai})


def names(people) -> set[str]:
    return {person["full_name"] for person in people}


# -- /api/v1/me/ ----------------------------------------------------------------------------


def test_me_with_session(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("api-me"))
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == world.a.teacher.pk
    assert data["identifier"] == "prof.a"
    assert data["is_city_admin"] is False
    assert data["schools"] == [
        {
            "uai": world.a.school.uai,
            "name": world.a.school.name,
            "kind": world.a.school.kind,
            "profiles": ["teacher"],
            "children": [],
        }
    ]


def test_me_lists_a_parents_children_per_school(client, world):
    parent = world.a.parent
    # The same parent also has a child in school B.
    MembershipFactory(school=world.b.school, user=parent, profile=Profile.PARENT)
    GuardianshipFactory(school=world.b.school, student=world.b.other_student, guardian=parent)
    _token, key = create_token(user=parent, name="Téléphone")
    response = client.get(reverse("api-me"), headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200
    schools = {school["uai"]: school for school in response.json()["schools"]}
    assert set(schools) == {world.a.school.uai, world.b.school.uai}
    assert [child["id"] for child in schools[world.a.school.uai]["children"]] == [world.a.student.pk]
    assert [child["id"] for child in schools[world.b.school.uai]["children"]] == [world.b.other_student.pk]
    assert schools[world.b.school.uai]["profiles"] == ["parent"]


def test_session_api_refuses_anonymous(client):
    response = client.get(reverse("api-me"))
    assert response.status_code == 401


# -- divisions --------------------------------------------------------------------------------


def test_teacher_lists_own_divisions(client, world):
    client.force_login(world.a.teacher)
    response = client.get(divisions_url(world.a.school))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [d["id"] for d in data["results"]] == [world.a.division.pk]


def test_direction_lists_every_division(client, world):
    client.force_login(world.a.direction)
    data = client.get(divisions_url(world.a.school)).json()
    assert {d["id"] for d in data["results"]} == {world.a.division.pk, world.a.other_division.pk}


def test_division_detail_for_teacher(client, world):
    client.force_login(world.a.teacher)
    response = client.get(division_url(world.a.school, world.a.division))
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == world.a.division.name
    assert names(data["students"]) == {world.a.student.get_full_name(), world.a.classmate.get_full_name()}
    assert data["teachers"] == [
        {
            "teacher": {
                "id": world.a.teacher.pk,
                "first_name": world.a.teacher.first_name,
                "last_name": world.a.teacher.last_name,
                "full_name": world.a.teacher.get_full_name(),
            },
            "subject": {"id": world.a.subject.pk, "code": world.a.subject.code, "name": world.a.subject.name},
            "is_head_teacher": False,
        }
    ]


def test_parent_sees_only_their_child_in_the_division(client, world):
    client.force_login(world.a.parent)
    response = client.get(division_url(world.a.school, world.a.division))
    assert response.status_code == 200
    students = response.json()["students"]
    assert [s["id"] for s in students] == [world.a.student.pk]


def test_forbidden_division_of_my_school_is_404(client, world):
    client.force_login(world.a.teacher)
    response = client.get(division_url(world.a.school, world.a.other_division))
    assert response.status_code == 404
    assert response.json()["detail"] == "Cette classe n'existe pas ou vous n'y avez pas accès."


@pytest.mark.parametrize("role", ["direction", "staff", "teacher", "student", "parent"])
def test_member_of_a_cannot_reach_school_b(client, world, role):
    client.force_login(world.a.users_by_role[role])
    # B's URL: not a member there.
    for url in (divisions_url(world.b.school), division_url(world.b.school, world.b.division)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"] == "Vous n'avez pas de compte actif dans cet établissement."
    # B's division id through A's URL: not found.
    response = client.get(division_url(world.a.school, world.b.division))
    assert response.status_code == 404
    assert "results" not in response.json()


def test_b_division_id_with_a_token_is_refused(client, world):
    _token, key = create_token(user=world.a.direction, name="Téléphone")
    headers = {"authorization": f"Bearer {key}"}
    assert client.get(division_url(world.b.school, world.b.division), headers=headers).status_code == 403
    assert client.get(division_url(world.a.school, world.b.division), headers=headers).status_code == 404


def test_unknown_school_is_404(client, world):
    client.force_login(world.a.teacher)
    unknown = SchoolFactory.build(uai="0759999X")
    assert client.get(divisions_url(unknown)).status_code == 404


def test_city_admin_has_no_access_to_divisions(client, world):
    client.force_login(world.city_admin)
    response = client.get(divisions_url(world.a.school))
    assert response.status_code == 403


def test_switched_off_directory_answers_404(client, world):
    SchoolService.unscoped.create(school=world.a.school, module="annuaire", state=SchoolService.State.OFF)
    client.force_login(world.a.teacher)
    response = client.get(divisions_url(world.a.school))
    assert response.status_code == 404
    assert "n'est pas activé" in response.json()["detail"]


# -- accounts ---------------------------------------------------------------------------------


def test_accounts_refused_to_a_teacher(client, world):
    client.force_login(world.a.teacher)
    response = client.get(accounts_url(world.a.school))
    assert response.status_code == 403
    assert "droit" in response.json()["detail"]


def test_accounts_for_the_head(client, world):
    client.force_login(world.a.direction)
    response = client.get(accounts_url(world.a.school))
    assert response.status_code == 200
    data = response.json()
    identifiers = {row["identifier"] for row in data["results"]}
    assert data["count"] == 7
    assert identifiers == {"direction.a", "cpe.a", "prof.a", "eleve.a", "camarade.a", "autre.a", "parent.a"}
    student = next(row for row in data["results"] if row["identifier"] == "eleve.a")
    assert student["memberships"][0]["profile"] == "student"
    assert student["memberships"][0]["division"] == {"id": world.a.division.pk, "name": world.a.division.name}
    assert student["state"] == "pending"


def test_accounts_filters(client, world):
    client.force_login(world.a.direction)
    url = accounts_url(world.a.school)
    students = client.get(url, {"profile": "student"}).json()
    assert {row["identifier"] for row in students["results"]} == {"eleve.a", "camarade.a", "autre.a"}
    found = client.get(url, {"q": "camarade"}).json()
    assert [row["identifier"] for row in found["results"]] == ["camarade.a"]
    response = client.get(url, {"profile": "wizard"})
    assert response.status_code == 400
    assert "choix valide" in json.dumps(response.json(), ensure_ascii=False)


def test_accounts_are_paginated(client, world, settings):
    for n in range(55):
        MembershipFactory(school=world.a.school, user=UserFactory(username=f"eleve.en.plus.{n}"))
    client.force_login(world.a.direction)
    first = client.get(accounts_url(world.a.school)).json()
    assert first["count"] == 62
    assert len(first["results"]) == 50
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 12


def test_accounts_of_b_refused_to_head_of_a(client, world):
    client.force_login(world.a.direction)
    assert client.get(accounts_url(world.b.school)).status_code == 403


def test_accounts_for_city_admin(client, world):
    client.force_login(world.city_admin)
    assert client.get(accounts_url(world.a.school)).status_code == 200


def test_accounts_query_count_does_not_grow(client, world):
    client.force_login(world.a.direction)
    url = accounts_url(world.a.school)
    client.get(url)
    with max_queries(12):
        assert client.get(url).status_code == 200
    for n in range(30):
        MembershipFactory(school=world.a.school, user=UserFactory(username=f"eleve.n{n}"), division=world.a.division)
    with max_queries(12):
        assert client.get(url).status_code == 200


# -- schema, docs, throttling ------------------------------------------------------------------


def test_schema_is_valid_openapi(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/{uai}/divisions/", "/api/v1/{uai}/divisions/{division_id}/"} <= set(schema["paths"])
    assert "/api/v1/{uai}/accounts/" in schema["paths"]
    token_scheme = schema["components"]["securitySchemes"]["personalToken"]
    assert token_scheme == {**token_scheme, "type": "http", "scheme": "bearer"}
    as_json = client.get(reverse("api-schema"), {"format": "json"})
    assert json.loads(as_json.content)["info"]["title"] == "ENT Paris API"


def test_docs_page(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert "swagger" in response.content.decode().lower()


def test_throttling_answers_429(client, world, monkeypatch):
    # DRF reads the rates once, when the throttle class is defined: set a low one on it.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    client.force_login(world.a.teacher)
    statuses = [client.get(reverse("api-me")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("api-me"))
    assert response.status_code == 429
    assert "Requête ralentie" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0
