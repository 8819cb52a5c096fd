"""The import history pages: a school's runs for its heads, every school's last import for the city."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annuaire.aaf.importer import import_aaf
from annuaire.imports_display import COUNT_LABELS, count_labels
from annuaire.models import ImportRun, ImportRunSchool
from annuaire.selectors.imports import city_imports
from schools.models import School
from tests.annuaire.test_drop_folder import write_export
from tests.budgets import max_queries
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

CITY_IMPORTS = reverse("city:imports")


def history_url(school: School) -> str:
    return reverse("annuaire_admin:imports", kwargs={"uai": school.uai})


def record_run(
    shares: dict[School, dict[str, int]],
    *,
    status: str = ImportRun.Status.APPLIED,
    days_ago: float = 0,
    warnings: list[str] | None = None,
    errors: list[str] | None = None,
    files: list[str] | None = None,
) -> ImportRun:
    """An import run as the importer records it, `days_ago` days ago."""
    run = ImportRun.objects.create(
        origin="drop-folder",
        status=status,
        files=files or ["ENT_Complet_20260901_Eleve_0000.xml"],
        counts={},
        warnings=warnings or [],
        errors=errors or [],
        finished_at=timezone.now(),
    )
    started = timezone.now() - datetime.timedelta(days=days_ago)
    ImportRun.objects.filter(pk=run.pk).update(started_at=started)
    for school, counts in shares.items():
        ImportRunSchool.unscoped.create(run=run, school=school, counts=counts)
    run.refresh_from_db()
    return run


def page_text(response) -> str:
    return unescape(response.content.decode())


# --- the heads' page ---------------------------------------------------------------------------


def test_a_head_sees_the_real_import_of_their_school_and_not_another_schools(client, world, tmp_path):
    write_export(tmp_path, uai=world.b.school.uai)
    report = import_aaf(paths=[tmp_path], origin="drop-folder")
    assert not report.refused, report.errors

    client.force_login(world.b.direction)
    response = client.get(history_url(world.b.school))
    assert response.status_code == 200
    text = page_text(response)
    for words in (
        "2 élèves ajoutés",
        "3 responsables légaux ajoutés",
        "1 classe créée",
        "Appliqué",
        "dépôt automatique",
    ):
        assert words in text
    assert len(response.context["rows"]) == 1

    # The run touched school B only: A's head sees nothing of it.
    client.force_login(world.a.direction)
    response = client.get(history_url(world.a.school))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "élèves ajoutés" not in page_text(response)
    assert "Aucun import de l’annuaire n’a encore concerné l’établissement." in page_text(response)


def test_a_head_sees_only_their_schools_share_and_warnings(client, world):
    a, b = world.a.school, world.b.school
    record_run(
        {a: {"student_memberships_created": 1}, b: {"teacher_memberships_ended": 7}},
        warnings=[
            f"Structure 1 : la lettre clé de l'UAI {a.uai} est fausse (données anonymisées ?).",
            f"Structure 2 : la lettre clé de l'UAI {b.uai} est fausse (données anonymisées ?).",
        ],
    )
    record_run({b: {"divisions_created": 4}})

    client.force_login(world.a.direction)
    text = page_text(client.get(history_url(a)))
    assert "1 élève ajouté" in text
    assert a.uai in text and "1 avertissement" in text
    assert b.uai not in text
    assert "7 enseignants sortis" not in text and "4 classes créées" not in text

    client.force_login(world.b.direction)
    response = client.get(history_url(b))
    assert [row.counts for row in response.context["rows"]] == [["4 classes créées"], ["7 enseignants sortis"]]


def test_a_head_cannot_open_another_schools_history(client, world):
    record_run({world.b.school: {"divisions_created": 4}})
    client.force_login(world.a.direction)
    response = client.get(history_url(world.b.school))
    assert response.status_code == 403
    assert "4 classes créées" not in page_text(response)


@pytest.mark.parametrize("role", ["teacher", "staff", "student", "parent"])
def test_the_history_is_refused_to_everyone_but_heads(client, world, role):
    record_run({world.a.school: {"divisions_created": 4}})
    client.force_login(world.a.users_by_role[role])
    response = client.get(history_url(world.a.school))
    assert response.status_code == 403
    assert "4 classes créées" not in page_text(response)


def test_city_admins_may_open_a_schools_history(client, world):
    record_run({world.a.school: {"accounts_created": 3}})
    client.force_login(world.city_admin)
    response = client.get(history_url(world.a.school))
    assert response.status_code == 200
    assert "3 comptes créés" in page_text(response)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(history_url(world.a.school))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_history_is_newest_first_in_pages_of_20(client, world):
    for days in range(25):
        record_run({world.a.school: {"student_memberships_created": days + 1}}, days_ago=days)
    client.force_login(world.a.direction)

    first = client.get(history_url(world.a.school))
    rows = first.context["rows"]
    assert len(rows) == 20
    assert rows[0].counts == ["1 élève ajouté"] and rows[-1].counts == ["20 élèves ajoutés"]
    assert [row.started_at for row in rows] == sorted((row.started_at for row in rows), reverse=True)

    second = client.get(history_url(world.a.school), {"page": 2})
    assert [row.counts[0] for row in second.context["rows"]] == [f"{n} élèves ajoutés" for n in range(21, 26)]
    assert 'rel="prev"' in second.content.decode()


def test_the_history_page_costs_the_same_for_3_or_20_runs(client, world):
    client.force_login(world.a.direction)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(world.a.school)).status_code == 200
        return len(queries)

    for _ in range(3):
        record_run({world.a.school: {"divisions_created": 1}}, warnings=[f"UAI {world.a.school.uai}"])
    few = measure()
    for _ in range(17):
        record_run({world.a.school: {"divisions_created": 1}}, warnings=[f"UAI {world.a.school.uai}"])
    assert measure() == few


def test_the_accounts_page_links_to_the_history(client, world):
    client.force_login(world.a.direction)
    response = client.get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai}))
    assert history_url(world.a.school) in response.content.decode()


# --- the counters in French --------------------------------------------------------------------


def test_counters_are_said_in_french_with_plurals():
    labels = count_labels(
        {
            "student_memberships_created": 12,
            "accounts_created": 1,
            "divisions_created": 0,
            "guardianships_removed": 2,
            "something_new": 4,
        }
    )
    assert labels == [
        "12 élèves ajoutés",
        "1 compte créé",
        "2 liens de responsabilité légale retirés",
        "something_new : 4",
    ]
    # Every write counter the importer keeps per profile has its words.
    for profile in ("student", "parent", "teacher", "staff", "direction"):
        for change in ("created", "changed", "ended"):
            assert f"{profile}_memberships_{change}" in COUNT_LABELS


# --- the city page -----------------------------------------------------------------------------


def test_the_city_sees_every_schools_health_and_the_refused_runs(client, world):
    late = SchoolFactory(name="Lycée Zola")
    never = SchoolFactory(name="Collège Voltaire")
    record_run({world.a.school: {"student_memberships_created": 5}}, days_ago=10)
    record_run({world.a.school: {"student_memberships_created": 2}}, days_ago=1)
    # A dry run is no import: B's last import is the applied one, 3 days ago.
    record_run({world.b.school: {"divisions_created": 1}}, days_ago=3)
    record_run({world.b.school: {"divisions_created": 9}}, status=ImportRun.Status.DRY_RUN, days_ago=0)
    record_run({late: {"accounts_created": 4}}, days_ago=9)
    record_run(
        {},
        status=ImportRun.Status.REFUSED,
        days_ago=2,
        errors=["ENT_Delta_20260902_Eleve_0000.xml, ligne 12 : balise non fermée."],
        files=["ENT_Delta_20260902_Eleve_0000.xml"],
    )
    record_run({}, status=ImportRun.Status.REFUSED, days_ago=1, errors=["Aucun fichier AAF trouvé."])

    client.force_login(world.city_admin)
    response = client.get(CITY_IMPORTS)
    assert response.status_code == 200
    rows = {row.school.name: row for row in response.context["imports"].schools}
    assert rows[world.a.school.name].health_label == "à jour"
    assert rows[world.a.school.name].counts == ["2 élèves ajoutés"]
    assert rows[world.b.school.name].health_label == "à jour"
    assert rows[world.b.school.name].counts == ["1 classe créée"]
    assert rows["Lycée Zola"].health_label == "en retard"
    assert rows["Collège Voltaire"].health_label == "jamais importé"
    assert rows["Collège Voltaire"].last_import is None

    text = page_text(response)
    for words in ("à jour", "en retard", "jamais importé", "4 comptes créés", "1 en retard", "1 jamais importé"):
        assert words in text
    assert "ligne 12 : balise non fermée." in text
    refused = response.context["imports"].refused_runs
    assert [r.errors for r in refused] == [
        ["Aucun fichier AAF trouvé."],
        ["ENT_Delta_20260902_Eleve_0000.xml, ligne 12 : balise non fermée."],
    ]
    assert history_url(never) in response.content.decode()


def test_the_city_page_shows_the_last_20_refused_runs_and_caps_errors(client, world):
    for n in range(22):
        record_run({}, status=ImportRun.Status.REFUSED, days_ago=n, errors=[f"erreur {n}-{i}" for i in range(12)])
    client.force_login(world.city_admin)
    refused = client.get(CITY_IMPORTS).context["imports"].refused_runs
    assert len(refused) == 20
    assert refused[0].errors == [f"erreur 0-{i}" for i in range(10)] and refused[0].more_errors == 2


@pytest.mark.parametrize("role", ["direction", "staff", "teacher", "student", "parent"])
def test_the_city_page_is_refused_to_everyone_but_city_admins(client, world, role):
    client.force_login(world.a.users_by_role[role])
    response = client.get(CITY_IMPORTS)
    assert response.status_code == 403
    assert "réservée aux administrateurs de la Ville" in page_text(response)


def test_the_city_page_sends_anonymous_to_sign_in(client, db):
    response = client.get(CITY_IMPORTS)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_city_console_links_to_the_imports(client, world):
    client.force_login(world.city_admin)
    assert CITY_IMPORTS in client.get(reverse("city:console")).content.decode()


def test_the_city_page_costs_the_same_for_3_or_30_schools(client):
    admin = UserFactory(is_city_admin=True)

    def add_schools(n: int) -> None:
        for i in range(n):
            school = SchoolFactory()
            if i % 3:
                record_run({school: {"student_memberships_created": i}}, days_ago=i)
        record_run({}, status=ImportRun.Status.REFUSED, errors=["refusé"])

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CITY_IMPORTS)
        assert response.status_code == 200
        return len(queries)

    client.force_login(admin)
    add_schools(3)
    few = measure()
    add_schools(27)
    assert measure() == few
    # Schools with the id of their last import, those imports, the refused runs.
    with max_queries(3):
        imports = city_imports()
    assert len(imports.schools) == 30
