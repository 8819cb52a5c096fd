"""Oversight: a school's overview and the city console (counts, rates, sorting, filters, CSV, rights, queries)."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annuaire.models import Profile, User
from annuaire.oversight import city_console_rows, overview_of, parse_sort
from schools.models import School
from schools.modules import all_modules
from schools.services import set_service_state
from tests.budgets import max_queries
from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory, WaveFactory

pytestmark = pytest.mark.django_db

CONSOLE = "/ville/"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def overview_url(school: School) -> str:
    return reverse("annuaire_admin:overview", kwargs={"uai": school.uai})


def activate(*users: User) -> None:
    User.objects.filter(pk__in=[user.pk for user in users]).update(activated_at=timezone.now())


def populate(school: School, students: int, activated: int = 0, teachers: int = 1) -> None:
    """Members for a school: `students` students (the first `activated` activated), teachers, one head."""
    for i in range(students):
        user = UserFactory(activated_at=timezone.now() if i < activated else None)
        MembershipFactory(school=school, user=user, profile=Profile.STUDENT)
    for _ in range(teachers):
        MembershipFactory(school=school, profile=Profile.TEACHER)
    MembershipFactory(school=school, profile=Profile.DIRECTION)


# --- the overview --------------------------------------------------------------------


def test_overview_counts_active_members_and_activation_per_profile(world):
    cast = world.a
    activate(cast.direction, cast.teacher, cast.student)
    # An ended membership is not counted; a person with two profiles counts once in the total.
    MembershipFactory(school=cast.school, profile=Profile.STUDENT, active=False)
    MembershipFactory(school=cast.school, user=cast.teacher, profile=Profile.PARENT)
    overview = overview_of(cast.school)
    figures = {row.profile: (row.members, row.activated) for row in overview.profiles}
    assert figures == {
        "student": (3, 1),
        "parent": (2, 1),
        "teacher": (1, 1),
        "staff": (1, 0),
        "direction": (1, 1),
    }
    rates = {row.profile: row.activation_rate for row in overview.profiles}
    assert rates["student"] == pytest.approx(1 / 3)
    assert rates["staff"] == 0
    assert (overview.people, overview.activated_people) == (7, 3)
    assert overview.activation_rate == pytest.approx(3 / 7)
    assert overview.divisions == 2
    # Every registered module is listed, in the registry's order, all on by default.
    assert [(service.module.code, service.state) for service in overview.services] == [
        (module.code, "on") for module in all_modules()
    ]


def test_overview_page_shows_identity_counts_and_services(client, world):
    cast = world.a
    wave = WaveFactory(number=2, name="Rentrée 2027")
    School.objects.filter(pk=cast.school.pk).update(wave=wave)
    activate(cast.student)
    # A name no factory draws, so that its absence proves the page lists no one.
    User.objects.filter(pk=cast.student.pk).update(last_name="Quenouille-Ravanel")
    set_service_state(school=cast.school, module="annuaire", state="off", external_url="", changed_by=cast.direction)
    client.force_login(cast.direction)
    response = client.get(overview_url(cast.school))
    assert response.status_code == 200
    content = unescape(response.content.decode())
    for text in (cast.school.uai, "Collège", "Ouvert", "2. Rentrée 2027", "1 rue de l'École", "75011"):
        assert text in content
    assert '<th scope="row">Élève</th>' in content
    assert "33,3&nbsp;%" in response.content.decode()  # 1 of 3 students, French decimal comma
    assert "Désactivé" in content
    assert reverse("schools:services", kwargs={"uai": cast.school.uai}) in content
    # Only counts: no student's name on the page.
    assert "QUENOUILLE-RAVANEL" not in content


def test_overview_query_count_does_not_grow_with_members(client):
    small, large = SchoolFactory(), SchoolFactory()
    populate(small, students=2)
    populate(large, students=60, activated=20, teachers=10)
    for school in (small, large):
        DivisionFactory(school=school)
    head = UserFactory()
    counts = []
    for school in (small, large):
        MembershipFactory(school=school, user=head, profile=Profile.DIRECTION)
    client.force_login(head)
    for school in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(overview_url(school)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


@pytest.mark.parametrize("role", ["teacher", "staff", "student", "parent"])
def test_members_other_than_the_head_get_403_on_overview(client, world, role):
    client.force_login(world.a.users_by_role[role])
    assert client.get(overview_url(world.a.school)).status_code == 403


def test_head_of_another_school_gets_403(client, world):
    client.force_login(world.b.direction)
    assert client.get(overview_url(world.a.school)).status_code == 403


def test_delegate_sees_the_overview(client, world):
    from guardian.shortcuts import assign_perm

    assign_perm("schools.view_overview", world.a.staff, world.a.school)
    client.force_login(world.a.staff)
    assert client.get(overview_url(world.a.school)).status_code == 200


def test_city_admin_reaches_overview_and_services_but_not_school_pages(client, world):
    client.force_login(world.city_admin)
    for cast in (world.a, world.b):
        assert client.get(overview_url(cast.school)).status_code == 200
        assert client.get(reverse("schools:services", kwargs={"uai": cast.school.uai})).status_code == 200
        response = client.get(reverse("annuaire:directory", kwargs={"uai": cast.school.uai}))
        assert response.status_code == 403
        assert "Vous n'avez pas de compte actif dans cet établissement." in unescape(response.content.decode())
        division = reverse("annuaire:division", kwargs={"uai": cast.school.uai, "division_id": cast.division.pk})
        assert client.get(division).status_code == 403


# --- the city console ----------------------------------------------------------------


@pytest.fixture
def city() -> dict[str, object]:
    """Three schools with different kinds, waves and figures, and a city admin."""
    wave1, wave2 = WaveFactory(number=1, name="Pionniers"), WaveFactory(number=2, name="Généralisation")
    alpha = SchoolFactory(uai="0750680G", name="Collège Alpha", kind=School.Kind.COLLEGE, wave=wave2)
    beta = SchoolFactory(uai="0750654D", name="Lycée Beta", kind=School.Kind.LYCEE, wave=wave1)
    gamma = SchoolFactory(
        uai="0752536Z", name="École Gamma", kind=School.Kind.COLLEGE, wave=None, status=School.Status.PREPARING
    )
    populate(alpha, students=4, activated=1)  # 6 people, 1 activated
    populate(beta, students=2, activated=2, teachers=3)  # 6 people, 2 activated
    return {
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,  # nobody yet
        "wave1": wave1,
        "wave2": wave2,
        "admin": UserFactory(username="ville.admin", is_city_admin=True),
    }


def console(client, city, **params):
    client.force_login(city["admin"])
    response = client.get(CONSOLE, params)
    assert response.status_code == 200
    return response


def uais(response) -> list[str]:
    return [row.school.uai for row in response.context["rows"]]


def test_console_lists_every_school_with_counts_and_rates(client, city):
    response = console(client, city)
    assert uais(response) == ["0750680G", "0752536Z", "0750654D"]  # Alpha, École Gamma, Lycée Beta
    rows = {row.school.uai: row for row in response.context["rows"]}
    assert rows["0750680G"].counts == {"student": 4, "parent": 0, "teacher": 1, "staff": 0, "direction": 1}
    assert rows["0750680G"].activation_rate == pytest.approx(1 / 6)
    assert rows["0750654D"].counts["teacher"] == 3
    assert rows["0752536Z"].activation_rate is None
    content = unescape(response.content.decode())
    for text in ("Collège Alpha", "Lycée Beta", "École Gamma", "2. Généralisation", "En préparation", "16,7"):
        assert text in content
    assert overview_url(city["alpha"]) in content
    assert "<caption>3 établissements" in content


@pytest.mark.parametrize(
    ("tri", "expected"),
    [
        ("uai", ["0750654D", "0750680G", "0752536Z"]),
        ("-uai", ["0752536Z", "0750680G", "0750654D"]),
        ("nom", ["0750680G", "0752536Z", "0750654D"]),
        ("-nom", ["0750654D", "0752536Z", "0750680G"]),
        ("type", ["0750680G", "0752536Z", "0750654D"]),
        ("vague", ["0750654D", "0750680G", "0752536Z"]),  # no wave last
        ("-vague", ["0750680G", "0750654D", "0752536Z"]),
        ("statut", ["0752536Z", "0750680G", "0750654D"]),  # En préparation < Ouvert
        ("eleves", ["0752536Z", "0750654D", "0750680G"]),
        ("-eleves", ["0750680G", "0750654D", "0752536Z"]),
        ("enseignants", ["0752536Z", "0750680G", "0750654D"]),
        ("activation", ["0750680G", "0750654D", "0752536Z"]),  # no rate last
        ("-activation", ["0750654D", "0750680G", "0752536Z"]),
    ],
)
def test_console_sorts_by_any_column(client, city, tri, expected):
    response = console(client, city, tri=tri)
    assert uais(response) == expected
    key = tri.lstrip("-")
    direction = "descending" if tri.startswith("-") else "ascending"
    content = response.content.decode()
    assert content.count("aria-sort=") == 1
    assert f'aria-sort="{direction}"' in content
    # The sorted column's header link reverses the order; the others sort ascending.
    reverse_tri = key if tri.startswith("-") else f"-{key}"
    assert f'href="?tri={reverse_tri}"' in content.replace("%2D", "-")
    assert 'href="?tri=uai"' in content or key == "uai"


def test_console_refuses_an_unknown_sort_and_sorts_by_name(client, city):
    response = console(client, city, tri="password; drop table")
    assert uais(response) == ["0750680G", "0752536Z", "0750654D"]
    assert "Ce tri n'existe pas : la liste est triée par nom." in unescape(response.content.decode())


def test_console_filters_by_wave_and_kind(client, city):
    assert uais(console(client, city, vague=1)) == ["0750654D"]
    assert uais(console(client, city, type="college")) == ["0750680G", "0752536Z"]
    assert uais(console(client, city, type="college", vague=2)) == ["0750680G"]
    assert uais(console(client, city, type="lycee_pro")) == []
    # The sort survives filtering, and the filters survive sorting links.
    response = console(client, city, type="college", tri="-nom")
    assert uais(response) == ["0752536Z", "0750680G"]
    assert "type=college" in response.content.decode()


def test_console_refuses_unknown_filters_in_french(client, city):
    response = console(client, city, vague=99, type="universite")
    assert len(uais(response)) == 3
    content = unescape(response.content.decode())
    assert "Cette vague n'existe pas : le filtre est ignoré." in content
    assert "Ce type d'établissement n'existe pas : le filtre est ignoré." in content


def test_console_csv_export(client, city):
    response = console(client, city, format="csv", tri="-eleves")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [
        "UAI",
        "Nom",
        "Type",
        "Vague",
        "Statut",
        "Élèves",
        "Responsables légaux",
        "Enseignants",
        "Personnels",
        "Direction",
        "Comptes (personnes)",
        "Comptes activés",
        "Taux d'activation (%)",
    ]
    identity = ["0750680G", "Collège Alpha", "Collège", "2. Généralisation", "Ouvert"]
    figures = ["4", "0", "1", "0", "1", "6", "1", "16,7"]
    assert lines[1] == [*identity, *figures]
    assert lines[2][:2] == ["0750654D", "Lycée Beta"]
    assert lines[2][-1] == "33,3"
    assert lines[3] == ["0752536Z", "École Gamma", "Collège", "", "En préparation", *["0"] * 7, ""]
    assert len(lines) == 4
    # Filters apply to the export too.
    filtered = console(client, city, format="csv", vague=1)
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig")), delimiter=";"))) == 2


def test_console_csv_neutralises_formulas(client, city):
    School.objects.filter(pk=city["alpha"].pk).update(name="=HYPERLINK(evil)")
    response = console(client, city, format="csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][:2] == ["0750680G", "'=HYPERLINK(evil)"]


def test_console_never_shows_personal_data(client, world):
    client.force_login(world.city_admin)
    # The page names the signed-in admin in its menu; the generated names may share a surname.
    own_name = f'<span class="user-menu__name">{world.city_admin.get_full_name()}</span>'
    html = unescape(client.get(CONSOLE).content.decode()).replace(own_name, "")
    exported = client.get(CONSOLE, {"format": "csv"}).content.decode("utf-8-sig")
    for cast in (world.a, world.b):
        for person in (cast.student, cast.classmate, cast.parent):
            for text in (person.last_name.upper(), person.username, person.email):
                assert text not in html
                assert text not in exported


@pytest.mark.parametrize("role", ["direction", "staff", "teacher", "student", "parent"])
def test_console_is_refused_to_everyone_but_city_admins(client, world, role):
    client.force_login(world.a.users_by_role[role])
    response = client.get(CONSOLE)
    assert response.status_code == 403
    assert "réservée aux administrateurs de la Ville" in unescape(response.content.decode())
    assert client.get(CONSOLE, {"format": "csv"}).status_code == 403


def test_console_sends_anonymous_to_sign_in(client, db):
    response = client.get(CONSOLE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_console_query_count_is_constant_3_vs_30_schools(client):
    admin = UserFactory(is_city_admin=True)
    waves = [WaveFactory(), WaveFactory()]

    def add_schools(n: int) -> None:
        for i in range(n):
            school = SchoolFactory(wave=waves[i % 2], kind=[School.Kind.COLLEGE, School.Kind.LYCEE][i % 2])
            populate(school, students=2, activated=i % 3)

    def measure(**params: object) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CONSOLE, params)
        assert response.status_code == 200
        return len(queries)

    client.force_login(admin)
    add_schools(3)
    few = [measure(), measure(tri="-activation", vague=waves[0].number), measure(format="csv")]
    add_schools(27)
    many = [measure(), measure(tri="-activation", vague=waves[0].number), measure(format="csv")]
    assert few == many
    assert len(city_console_rows()) == 30
    # Schools and their wave in one query, memberships aggregated in one more.
    with max_queries(2):
        city_console_rows(sort="eleves")


def test_parse_sort_whitelists_columns():
    assert parse_sort("-activation") == ("activation", True)
    assert parse_sort("nom") == ("nom", False)
    assert parse_sort("school__name") is None
    assert parse_sort("") is None
    assert parse_sort(None) is None
