"""Activation letters per division: bulk codes, the letters page, the PDF and the CSV."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from annuaire.models import ActivationCode, Division, Membership, Profile, User
from annuaire.selectors_letters import division_recipients, staff_recipients
from annuaire.services.activation import CODE_HASH_ALGORITHM, find_valid_code, issue_activation_code
from annuaire.services.letters import issue_letters
from schools.tenancy import school_scope
from tests.budgets import max_queries
from tests.factories import DivisionFactory, GuardianshipFactory, MembershipFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db

CSV_HEADER = ["Division", "Nom", "Prénom", "Profil", "Identifiant", "Code d'activation", "Valable jusqu'au"]


def _weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return (
            f"weasyprint cannot load ({type(error).__name__}: {error}); "
            "install it with Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        )
    return None


requires_weasyprint = pytest.mark.skipif(_weasyprint_problem() is not None, reason=str(_weasyprint_problem()))


def memberships(cast, *users: User) -> list[Membership]:
    return [Membership.unscoped.get(school=cast.school, user=user) for user in users]


def activate(user: User) -> None:
    User.objects.filter(pk=user.pk).update(activated_at=timezone.now())


def letters_url(cast) -> str:
    return reverse("annuaire_admin:letters", kwargs={"uai": cast.school.uai})


def division_url(cast, division: Division) -> str:
    return reverse("annuaire_admin:letters_division", kwargs={"uai": cast.school.uai, "division_id": division.pk})


def staff_url(cast) -> str:
    return reverse("annuaire_admin:letters_staff", kwargs={"uai": cast.school.uai})


def pending_codes(*users: User) -> int:
    return ActivationCode.objects.filter(user__in=users, used_at=None).count()


@pytest.fixture
def head(client, world) -> Client:
    client.force_login(world.a.direction)
    return client


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "the CSV starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


# --- the service ---------------------------------------------------------------------------


def test_bulk_issue_skips_activated_accounts_and_issues_working_codes(world: World):
    cast = world.a
    activate(cast.classmate)
    kept = issue_activation_code(user=cast.classmate)  # e.g. a letter printed after activation
    with school_scope(cast.school):
        batch = issue_letters(
            school=cast.school,
            memberships=memberships(cast, cast.student, cast.classmate, cast.parent, cast.student),
            issued_by=cast.direction,
        )
    assert [letter.user.pk for letter in batch] == [cast.student.pk, cast.parent.pk]
    assert batch.skipped == 1 and batch.inactive == 0 and batch.reserved == 0
    for letter in batch:
        assert letter.school == cast.school
        assert letter.expires_at > timezone.now()
        stored = ActivationCode.objects.get(user=letter.user, used_at=None)
        assert stored.code_hash.startswith(f"{CODE_HASH_ALGORITHM}$")
        assert letter.code not in stored.code_hash and letter.code.replace("-", "") not in stored.code_hash
        assert find_valid_code(user=letter.user, code=letter.code) == stored
        assert find_valid_code(user=letter.user, code=letter.code.lower().replace("-", " ")) == stored
    # The activated account was not reset: its own code still works, no new one.
    assert ActivationCode.objects.filter(user=cast.classmate).count() == 1
    assert find_valid_code(user=cast.classmate, code=kept) is not None


def test_a_new_print_replaces_the_codes_of_the_previous_one(world: World):
    cast = world.a
    with school_scope(cast.school):
        first = issue_letters(school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction)
        second = issue_letters(
            school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction
        )
    assert pending_codes(cast.student) == 1
    assert find_valid_code(user=cast.student, code=second[0].code) is not None
    assert first[0].code == second[0].code or find_valid_code(user=cast.student, code=first[0].code) is None


def test_wrong_codes_count_as_failed_attempts(world: World):
    cast = world.a
    with school_scope(cast.school):
        (letter,) = issue_letters(
            school=cast.school, memberships=memberships(cast, cast.student), issued_by=cast.direction
        )
    for _attempt in range(5):
        assert find_valid_code(user=cast.student, code="AAAAA-AAAAA") is None
    assert find_valid_code(user=cast.student, code=letter.code) is None  # locked after 5 failures


def test_codes_hashed_with_the_password_hasher_still_work(world: World):
    """Codes issued before the fast hash (Django password hashes) stay valid until they expire."""
    user = world.a.student
    ActivationCode.objects.create(
        user=user, code_hash=make_password("ABCDE-FGHJK"), expires_at=timezone.now() + timezone.timedelta(days=3)
    )
    assert find_valid_code(user=user, code="abcde fghjk") is not None
    assert find_valid_code(user=user, code="ABCDE-FGHJM") is None


def test_inactive_and_foreign_memberships(world: World):
    cast = world.a
    Membership.unscoped.filter(school=cast.school, user=cast.classmate).update(active=False)
    User.objects.filter(pk=cast.other_student.pk).update(is_active=False)
    with school_scope(cast.school):
        batch = issue_letters(
            school=cast.school,
            memberships=memberships(cast, cast.classmate, cast.other_student, cast.student),
            issued_by=cast.direction,
        )
        assert [letter.user for letter in batch] == [cast.student]
        assert batch.inactive == 2
        foreign = memberships(world.b, world.b.student)
        with pytest.raises(ValidationError, match="n'appartient pas"):
            issue_letters(
                school=cast.school, memberships=[*memberships(cast, cast.parent), *foreign], issued_by=cast.direction
            )
    assert pending_codes(cast.classmate, cast.other_student, cast.parent, world.b.student) == 0


def test_a_delegate_prints_no_letter_for_the_direction(world: World):
    cast = world.a
    assign_perm("schools.manage_accounts", cast.staff, cast.school)
    deputy = UserFactory(username="adjoint.a")
    MembershipFactory(school=cast.school, user=deputy, profile=Profile.DIRECTION)
    with school_scope(cast.school):
        assert {r.user for r in staff_recipients(cast.school, cast.staff)} == {cast.teacher}
        assert {r.user for r in staff_recipients(cast.school, cast.direction)} == {cast.teacher, cast.staff, deputy}
        batch = issue_letters(
            school=cast.school, memberships=memberships(cast, deputy, cast.teacher), issued_by=cast.staff
        )
    assert [letter.user for letter in batch] == [cast.teacher]
    assert batch.reserved == 1
    assert pending_codes(deputy) == 0


def test_division_recipients_are_students_each_followed_by_their_parents(world: World):
    cast = world.a
    second_parent = UserFactory(username="parent2.a", last_name="Zola")
    MembershipFactory(school=cast.school, user=second_parent, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=second_parent)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=cast.parent)  # siblings
    contact = UserFactory(username="voisin.a")
    MembershipFactory(school=cast.school, user=contact, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=contact, legal_representative=False)
    with school_scope(cast.school):
        recipients = division_recipients(cast.school, cast.division)
    users = [r.user for r in recipients]
    assert set(users) == {cast.student, cast.classmate, cast.parent, second_parent}
    assert len(users) == 4, "a parent of two pupils of the class gets one letter"
    for recipient in recipients:
        if recipient.membership.profile == Profile.PARENT:
            assert users.index(recipient.user) > min(users.index(child) for child in recipient.children)
    parent = next(r for r in recipients if r.user == cast.parent)
    assert set(parent.children) == {cast.student, cast.classmate}


def test_issuing_700_letters_codes_is_fast(world: World):
    cast = world.a
    users = User.objects.bulk_create(
        [
            User(username=f"masse.{n}", first_name=f"Prénom{n}", last_name=f"Nom{n:04d}", password="!")
            for n in range(700)
        ]
    )
    members = Membership.unscoped.bulk_create(
        [Membership(school=cast.school, user=user, profile=Profile.STUDENT, division=cast.division) for user in users]
    )
    with school_scope(cast.school):
        started = time.perf_counter()
        # Savepoints included; on SQLite the insert goes in batches (its bound-parameter limit).
        with max_queries(14):
            batch = issue_letters(school=cast.school, memberships=members, issued_by=cast.direction)
        elapsed = time.perf_counter() - started
    assert len(batch) == 700
    assert elapsed < 5, f"700 codes took {elapsed:.1f} s"
    assert ActivationCode.objects.filter(user__in=users, used_at=None).count() == 700
    assert find_valid_code(user=batch[-1].user, code=batch[-1].code) is not None


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
