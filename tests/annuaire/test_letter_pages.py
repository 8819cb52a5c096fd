"""The activation letters' pages: the list of divisions, the CSV, the PDF, and who may print them."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import assign_perm

from annuaire.models import ActivationCode, Profile, User
from annuaire.services.activation import find_valid_code
from tests.annuaire.letters_support import (
    CSV_HEADER,
    activate,
    division_url,
    letters_url,
    pending_codes,
    read_csv,
    requires_weasyprint,
    staff_url,
)
from tests.budgets import max_queries
from tests.factories import DivisionFactory, GuardianshipFactory, MembershipFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(client, world) -> Client:
    client.force_login(world.a.direction)
    return client


# --- the page ------------------------------------------------------------------------------


def test_letters_page_lists_divisions_with_pending_counts_and_rates(head, world: World):
    cast = world.a
    activate(cast.classmate)
    response = head.get(letters_url(cast))
    assert response.status_code == 200
    overview = response.context["overview"]
    rows = {row.division.pk: row for row in overview.divisions}
    assert set(rows) == {cast.division.pk, cast.other_division.pk}
    assert (rows[cast.division.pk].students, rows[cast.division.pk].pending_students) == (2, 1)
    assert rows[cast.division.pk].pending_parents == 1
    assert (rows[cast.other_division.pk].pending_students, rows[cast.other_division.pk].pending_parents) == (1, 0)
    assert overview.pending_staff == 2  # the teacher and the CPE; not the head's own account
    students = next(figures for figures in overview.profiles if figures.profile == Profile.STUDENT)
    assert (students.members, students.activated) == (3, 1)
    html = response.content.decode()
    assert "Imprimer les lettres (PDF)" in html and "Exporter (CSV)" in html
    assert division_url(cast, cast.division) in html and staff_url(cast) in html
    assert "33,3" in html  # one pupil out of three activated
    assert world.b.division.name not in html
    # Reachable from the accounts page.
    assert (
        letters_url(cast)
        in head.get(reverse("annuaire_admin:accounts", kwargs={"uai": cast.school.uai})).content.decode()
    )


@pytest.mark.parametrize("divisions", [2, 12])
def test_letters_page_query_count_does_not_grow(head, world: World, divisions):
    cast = world.a
    for n in range(divisions):
        division = DivisionFactory(school=cast.school, code=f"3Q{n}", name=f"3e Q{n}")
        for m in range(3):
            student = UserFactory(username=f"q.{n}.{m}")
            MembershipFactory(school=cast.school, user=student, division=division)
            parent = UserFactory(username=f"qp.{n}.{m}")
            MembershipFactory(school=cast.school, user=parent, profile=Profile.PARENT)
            GuardianshipFactory(school=cast.school, student=student, guardian=parent)
    with max_queries(16):
        response = head.get(letters_url(cast))
    assert response.status_code == 200
    assert len(response.context["overview"].divisions) == 2 + divisions


# --- the CSV -------------------------------------------------------------------------------


def test_csv_of_a_division_has_the_codes_of_pending_students_and_parents(head, world: World):
    cast = world.a
    activate(cast.classmate)
    response = head.post(division_url(cast, cast.division), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert 'filename="lettres-activation-' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == CSV_HEADER
    assert [row[4] for row in rows] == ["eleve.a", "parent.a"]  # the classmate is already activated
    by_login = {row[4]: row for row in rows}
    student = by_login["eleve.a"]
    assert student[:4] == [cast.division.name, cast.student.last_name, cast.student.first_name, "Élève"]
    assert by_login["parent.a"][3] == "Responsable légal"
    assert by_login["parent.a"][0] == cast.division.name
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", student[6])
    for login, row in by_login.items():
        assert find_valid_code(user=User.objects.get(username=login), code=row[5]) is not None
    assert pending_codes(cast.classmate, cast.other_student) == 0
    # The clear codes are shown once: never on the page afterwards, never stored.
    page = head.get(letters_url(cast)).content.decode()
    assert student[5] not in page
    assert not ActivationCode.objects.filter(code_hash__contains=student[5]).exists()


def test_csv_of_the_staff(head, world: World):
    response = head.post(staff_url(world.a), {"format": "csv"})
    assert response.status_code == 200
    header, *rows = read_csv(response)
    assert header == CSV_HEADER
    assert {row[4]: (row[0], row[3]) for row in rows} == {
        "prof.a": ("Personnels", "Enseignant"),
        "cpe.a": ("Personnels", "Personnel"),
    }


def test_a_division_with_nothing_to_print_says_so(head, world: World):
    cast = world.a
    activate(cast.other_student)
    response = head.post(division_url(cast, cast.other_division), {"format": "csv"}, follow=True)
    assert response.redirect_chain[-1][0] == letters_url(cast)
    assert "aucune lettre à imprimer" in response.content.decode()


def test_a_missing_format_changes_nothing(head, world: World):
    cast = world.a
    response = head.post(division_url(cast, cast.division), {}, follow=True)
    assert response.redirect_chain[-1][0] == letters_url(cast)
    assert "Aucun code n&#x27;a été créé" in response.content.decode()
    assert ActivationCode.objects.count() == 0
    assert head.get(division_url(cast, cast.division)).status_code == 405


def test_the_summary_of_a_print_is_shown_on_the_next_page(head, world: World):
    cast = world.a
    activate(cast.classmate)
    head.post(division_url(cast, cast.division), {"format": "csv"})
    html = head.get(letters_url(cast)).content.decode()
    assert "2 lettres d&#x27;activation imprimées" in html
    assert "1 compte déjà activé n&#x27;a pas reçu de nouveau code" in html


# --- the PDF -------------------------------------------------------------------------------


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pypdf)."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back (dev extra)")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


@requires_weasyprint
def test_pdf_has_one_page_per_letter_with_identifier_and_code(head, world: World):
    cast = world.a
    # A long name, a parent of both pupils: the letter still fits on one page.
    long_named = UserFactory(
        username="marie-helene.de-la-tour-d-auvergne",
        first_name="Marie-Hélène Anne-Sophie",
        last_name="de La Tour d'Auvergne-Lauraguais",
    )
    MembershipFactory(school=cast.school, user=long_named, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=long_named)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=long_named)
    response = head.post(division_url(cast, cast.division), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith('.pdf"')
    pages = pdf_pages(response.content)
    logins = ["eleve.a", "parent.a", "camarade.a", long_named.username]
    assert len(pages) == 4
    for page in pages:
        assert cast.school.name in page
        assert "http://testserver/accounts/activation/" in page
        assert "12 caractères" in page
    text = "\n".join(pages)
    for login in logins:
        assert sum(login in page for page in pages) == 1, f"{login} is on exactly one page"
        user = User.objects.get(username=login)
        page = next(page for page in pages if login in page)
        code = re.search(r"Code d’activation\s*([A-Z2-9]{5}-[A-Z2-9]{5})", page)
        assert code is not None, f"no code on the letter of {login}"
        assert find_valid_code(user=user, code=code.group(1)) is not None
    assert "Responsable légal de" in text


@requires_weasyprint
def test_pdf_of_the_staff(head, world: World):
    response = head.post(staff_url(world.a), {"format": "pdf"})
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    assert len(pages) == 2
    assert {"prof.a", "cpe.a"} == {
        login for login in ("prof.a", "cpe.a", "direction.a") for page in pages if login in page
    }


# --- who may print -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher", "staff", "student", "parent"])
def test_members_without_the_right_get_403(client, world: World, role):
    cast = world.a
    client.force_login(cast.users_by_role[role])
    assert client.get(letters_url(cast)).status_code == 403
    assert client.post(division_url(cast, cast.division), {"format": "csv"}).status_code == 403
    assert client.post(staff_url(cast), {"format": "csv"}).status_code == 403
    assert ActivationCode.objects.count() == 0


def test_a_delegate_with_the_accounts_right_may_print(client, world: World):
    cast = world.a
    assign_perm("schools.manage_accounts", cast.staff, cast.school)
    client.force_login(cast.staff)
    assert client.get(letters_url(cast)).status_code == 200
    response = client.post(division_url(cast, cast.division), {"format": "csv"})
    assert response.status_code == 200
    assert len(read_csv(response)) == 4


def test_city_admins_get_403(client, world: World):
    cast = world.a
    client.force_login(world.city_admin)
    # The accounts page is theirs; the letters, with the families' codes, are not.
    assert client.get(reverse("annuaire_admin:accounts", kwargs={"uai": cast.school.uai})).status_code == 200
    assert client.get(letters_url(cast)).status_code == 403
    assert client.post(division_url(cast, cast.division), {"format": "csv"}).status_code == 403
    assert client.post(staff_url(cast), {"format": "pdf"}).status_code == 403
    # Not even when they belong to the school as a parent.
    MembershipFactory(school=cast.school, user=world.city_admin, profile=Profile.PARENT)
    assert client.get(letters_url(cast)).status_code == 403
    assert client.post(division_url(cast, cast.division), {"format": "csv"}).status_code == 403
    assert ActivationCode.objects.count() == 0


def test_head_of_b_gets_404_for_a_division_of_a(client, world: World):
    client.force_login(world.b.direction)
    url = reverse(
        "annuaire_admin:letters_division", kwargs={"uai": world.b.school.uai, "division_id": world.a.division.pk}
    )
    assert client.post(url, {"format": "csv"}).status_code == 404
    assert client.post(url, {"format": "pdf"}).status_code == 404
    forged = reverse("annuaire_admin:letters_division", kwargs={"uai": world.b.school.uai, "division_id": 2**63})
    assert client.post(forged, {"format": "csv"}).status_code == 404
    # And A's own pages refuse them.
    assert client.post(division_url(world.a, world.a.division), {"format": "csv"}).status_code == 403
    assert ActivationCode.objects.count() == 0
