"""Local accounts a head creates: the letter printed, unique logins, one active person once, who may create."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse

from annuaire.models import ActivationCode, Profile, User
from annuaire.services.activation import find_valid_code
from tests.annuaire.local_edits_support import (
    LOCAL_PERSON,
    letter_code,
    membership_of,
    new_account_url,
    signed_in,
    text_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_head_creates_a_local_account_and_prints_its_letter(world):
    head = signed_in(world.a.direction)
    form = head.get(new_account_url(world.a.school))
    assert form.status_code == 200
    assert '<label for="id_first_name"' in form.content.decode()

    response = head.post(new_account_url(world.a.school), LOCAL_PERSON)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    user = User.objects.get(username="awa.diallo")
    assert "awa.diallo" in html and "Lettre d’activation" in html
    assert find_valid_code(user=user, code=letter_code(html)) is not None
    assert (user.first_name, user.last_name, user.email, user.phone) == (
        "Awa",
        "Diallo",
        "awa.diallo@example.org",
        "0612345678",
    )
    assert user.external_id == "" and not is_password_usable(user.password) and user.activated_at is None
    membership = membership_of(user, world.a.school)
    assert membership.profile == Profile.STAFF and membership.active and not membership.from_directory
    assert membership.functions == ["Service civique", "Aide aux devoirs"]
    # Listed on the accounts page, awaiting activation.
    listed = head.get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai}), {"q": "awa.diallo"})
    assert [row.user.username for row in listed.context["rows"]] == ["awa.diallo"]


def test_local_logins_stay_unique(world):
    UserFactory(username="awa.diallo")  # someone elsewhere already has the plain login
    assert signed_in(world.a.direction).post(new_account_url(world.a.school), LOCAL_PERSON).status_code == 200
    # A namesake in another school is another person: a new login, numbered again.
    assert signed_in(world.b.direction).post(new_account_url(world.b.school), LOCAL_PERSON).status_code == 200
    logins = set(User.objects.filter(first_name="Awa", last_name="Diallo").values_list("username", flat=True))
    assert logins == {"awa.diallo2", "awa.diallo3"}


def test_the_same_active_person_twice_in_a_school_is_refused(world):
    head = signed_in(world.a.direction)
    head.post(new_account_url(world.a.school), LOCAL_PERSON)
    users = User.objects.count()
    again = head.post(new_account_url(world.a.school), {**LOCAL_PERSON, "first_name": "AWA", "profile": "teacher"})
    assert again.status_code == 200
    assert "AWA Diallo a déjà un compte actif dans l'établissement" in text_of(again)
    assert User.objects.count() == users
    assert ActivationCode.objects.filter(user__username__startswith="awa.diallo").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"profile": Profile.DIRECTION}, "Un compte local est celui d"),
        ({"profile": Profile.PARENT}, "Un compte local est celui d"),
        ({"first_name": "  "}, "Saisissez le prénom."),
        ({"last_name": ""}, "Saisissez le nom."),
        ({"email": "awa@"}, "Saisissez une adresse électronique valide"),
        ({"phone": "06 12"}, "Saisissez un numéro de téléphone français"),
    ],
)
def test_bad_local_accounts_are_refused_in_french(world, changes, message):
    users = User.objects.count()
    response = signed_in(world.a.direction).post(new_account_url(world.a.school), {**LOCAL_PERSON, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users


def test_a_teacher_cannot_create_local_accounts(world):
    teacher = signed_in(world.a.teacher)
    users = User.objects.count()
    assert teacher.get(new_account_url(world.a.school)).status_code == 403
    assert teacher.post(new_account_url(world.a.school), LOCAL_PERSON).status_code == 403
    assert User.objects.count() == users
