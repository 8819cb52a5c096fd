"""A head's hand edits of contact details: the form, refused values, who may edit, the revert to the directory."""

from __future__ import annotations

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from annuaire.models import User
from annuaire.services.accounts import normalize_phone
from schools import permissions as school_perms
from tests.annuaire.local_edits_support import (
    REVERT_LABEL,
    contact_url,
    fresh,
    membership_of,
    new_account_url,
    revert_url,
    signed_in,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_the_accounts_page_links_each_other_row_to_its_contact_form(world):
    html = signed_in(world.a.direction).get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai}))
    html = html.content.decode()
    assert contact_url(world.a.school, membership_of(world.a.parent, world.a.school)) in html
    assert contact_url(world.a.school, membership_of(world.a.direction, world.a.school)) not in html
    assert new_account_url(world.a.school) in html


def test_head_edits_email_and_phone(world):
    head, parent = signed_in(world.a.direction), world.a.parent
    url = contact_url(world.a.school, membership_of(parent, world.a.school))
    page = head.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_email"' in html and '<label for="id_phone"' in html
    assert parent.email in html
    # Not from the directory (a factory account): no directory values to go back to.
    assert REVERT_LABEL not in html and "l’annuaire académique ne le connaît pas" in html

    response = head.post(url, {"email": " Camille.Martin@Example.ORG ", "phone": "+33 (0)6 12-34-56-78"})
    assert response.status_code == 302 and response["Location"] == url
    parent = fresh(parent)
    assert (parent.email, parent.phone) == ("Camille.Martin@example.org", "+33612345678")
    assert "sont enregistrées" in head.get(url).content.decode()


@pytest.mark.parametrize(
    ("email", "phone", "message"),
    [
        ("pas-une-adresse", "0612345678", "Saisissez une adresse électronique valide"),
        ("camille@example", "0612345678", "Saisissez une adresse électronique valide"),
        ("camille@example.org", "12345", "Saisissez un numéro de téléphone français"),
        ("camille@example.org", "06 12 34 56 7", "Saisissez un numéro de téléphone français"),
        ("camille@example.org", "+33 6 12 34 56 78 90 12 34", "Saisissez un numéro de téléphone français"),
    ],
)
def test_bad_contact_details_are_refused_in_french_and_change_nothing(world, email, phone, message):
    before = fresh(world.a.parent)
    response = signed_in(world.a.direction).post(
        contact_url(world.a.school, membership_of(world.a.parent, world.a.school)), {"email": email, "phone": phone}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "n’ont pas été enregistrées" in html
    after = fresh(world.a.parent)
    assert (after.email, after.phone) == (before.email, before.phone)


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("01 45 67 89 10", "0145678910"),
        ("06.12.34.56.78", "0612345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("", ""),
    ],
)
def test_french_and_international_numbers_are_accepted(number, stored):
    assert normalize_phone(number) == stored


def test_a_teacher_is_refused_the_contact_form(world):
    teacher = signed_in(world.a.teacher)
    url = contact_url(world.a.school, membership_of(world.a.parent, world.a.school))
    before = fresh(world.a.parent).email
    assert teacher.get(url).status_code == 403
    assert teacher.post(url, {"email": "vol@example.org", "phone": ""}).status_code == 403
    assert teacher.post(revert_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 403
    assert fresh(world.a.parent).email == before


def test_the_head_of_school_b_gets_404_for_a_person_of_school_a(world):
    head_b = signed_in(world.b.direction)
    a_membership = membership_of(world.a.parent, world.a.school)
    # B's own address with A's membership id: not found, whether it exists or not.
    url = reverse(
        "annuaire_admin:account_contact", kwargs={"uai": world.b.school.uai, "membership_id": a_membership.pk}
    )
    before = fresh(world.a.parent).email
    assert head_b.get(url).status_code == 404
    assert head_b.post(url, {"email": "vol@example.org", "phone": ""}).status_code == 404
    assert world.a.parent.email not in head_b.get(url).content.decode()
    assert fresh(world.a.parent).email == before
    # A's address: B's head has no membership there.
    assert head_b.get(contact_url(world.a.school, a_membership)).status_code == 403


def test_a_delegate_cannot_edit_a_head_nor_anyone_their_own(world):
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, world.a.school)
    delegate = signed_in(world.a.staff)
    head_url = contact_url(world.a.school, membership_of(world.a.direction, world.a.school))
    response = delegate.post(head_url, {"email": "vol@example.org", "phone": ""})
    assert response.status_code == 403
    assert "Seule la direction" in response.content.decode()
    assert fresh(world.a.direction).email != "vol@example.org"
    # The delegate edits others, but not their own details through this page.
    assert delegate.get(contact_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 200
    assert delegate.get(contact_url(world.a.school, membership_of(world.a.staff, world.a.school))).status_code == 403
    own = signed_in(world.a.direction).get(
        contact_url(world.a.school, membership_of(world.a.direction, world.a.school))
    )
    assert own.status_code == 403


def test_city_admins_are_refused_personal_contact_details(world):
    city = signed_in(world.city_admin)
    assert city.get(contact_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 403
    assert city.get(new_account_url(world.a.school)).status_code == 403


def test_revert_gives_back_the_directory_values(world):
    User.objects.filter(pk=world.a.parent.pk).update(
        external_source="PARIS",
        external_id="123456",
        directory_email="annuaire@example.org",
        directory_phone="0145678910",
        email="main@example.org",
        phone="0612345678",
    )
    head = signed_in(world.a.direction)
    membership = membership_of(world.a.parent, world.a.school)
    html = head.get(contact_url(world.a.school, membership)).content.decode()
    assert "annuaire@example.org" in html and "0145678910" in html and REVERT_LABEL in html

    assert head.get(revert_url(world.a.school, membership)).status_code == 405
    response = head.post(revert_url(world.a.school, membership))
    assert response.status_code == 302
    parent = fresh(world.a.parent)
    assert (parent.email, parent.phone) == ("annuaire@example.org", "0145678910")
    html = head.get(contact_url(world.a.school, membership)).content.decode()
    assert "les prochains imports les mettront à jour" in html
    assert REVERT_LABEL not in html  # nothing to revert any more


def test_revert_refuses_an_account_the_directory_does_not_know(world):
    head = signed_in(world.a.direction)
    before = fresh(world.a.parent)
    response = head.post(revert_url(world.a.school, membership_of(world.a.parent, world.a.school)), follow=True)
    assert "l'annuaire académique ne connaît pas ses coordonnées" in text_of(response)
    assert fresh(world.a.parent).email == before.email
