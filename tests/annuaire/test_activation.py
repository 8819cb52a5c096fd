"""First-login activation: letter code, then password (CNIL policy) and each school's charter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from annuaire.models import ActivationCode, CharterAcceptance, Profile, User
from annuaire.services.activation import (
    MAX_FAILED_ATTEMPTS,
    ActivationError,
    activate_account,
    issue_activation_code,
    schools_to_accept,
)
from annuaire.views.account import SESSION_KEY
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing with the production hasher would make each test take seconds; the rules are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


INVALID = (
    "Identifiant ou code d&#x27;activation incorrect. "
    "Vérifiez la lettre d&#x27;activation ou demandez-en une nouvelle au secrétariat."
)
LONG_PASSPHRASE = "ma phrase de passe très longue avec des accents éàü, ça se retient bien ! 😀"
URL = "/accounts/activation/"


@pytest.fixture
def newcomer(world):
    """A parent with children in two schools, created by the directory: no usable password yet."""
    user = UserFactory(username="marie.dupont", password=None)
    user.set_unusable_password()
    user.save()
    MembershipFactory(school=world.a.school, user=user, profile=Profile.PARENT)
    MembershipFactory(school=world.b.school, user=user, profile=Profile.PARENT)
    return user


@pytest.fixture
def code(newcomer) -> str:
    return issue_activation_code(user=newcomer)


def enter_code(client, username: str, code: str):
    return client.post(URL, {"step": "code", "username": username, "code": code})


def choose_password(client, password: str, schools, confirm: str | None = None):
    data = {"step": "password", "password1": password, "password2": password if confirm is None else confirm}
    for school in schools:
        data[f"charter_{school.pk}"] = "on"
    return client.post(URL, data)


def assert_nothing_changed(user: User) -> None:
    user.refresh_from_db()
    assert user.activated_at is None
    assert not is_password_usable(user.password)
    assert not CharterAcceptance.unscoped.filter(user=user).exists()


def test_activation_page_is_french_and_accessible(client):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in page
    assert "Activer mon compte" in page
    assert '<label for="id_username">Identifiant' in page
    assert '<label for="id_code">Code d&#x27;activation' in page
    assert 'autocomplete="one-time-code"' in page


def test_happy_path_code_password_charters_then_signed_in(client, world, newcomer, code):
    response = enter_code(client, "marie.dupont", code.lower().replace("-", " "))
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["user_id"] == newcomer.pk

    step2 = client.get(URL)
    page = step2.content.decode()
    assert "Choisir mon mot de passe" in page
    assert "Au moins 12 caractères" in page
    assert world.a.school.name in page and world.b.school.name in page
    assert "je m&#x27;engage" in page  # the default charter, since the schools wrote none
    assert 'autocomplete="new-password"' in page
    assert "marie.dupont" in page

    response = choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert SESSION_KEY not in client.session

    newcomer.refresh_from_db()
    assert newcomer.activated_at is not None
    assert newcomer.check_password(LONG_PASSPHRASE)
    accepted = set(CharterAcceptance.unscoped.filter(user=newcomer).values_list("school_id", flat=True))
    assert accepted == {world.a.school.pk, world.b.school.pk}
    assert ActivationCode.objects.get(user=newcomer).used_at is not None
    assert client.get("/").status_code == 200


def test_school_charter_text_is_shown_when_written(client, world, newcomer, code):
    world.a.school.charter = "Charte propre au collège A : respect et bienveillance."
    world.a.school.save()
    enter_code(client, "marie.dupont", code)
    page = client.get(URL).content.decode()
    assert "Charte propre au collège A : respect et bienveillance." in page


@pytest.mark.parametrize("case", ["wrong", "expired", "reused", "unknown", "deactivated"])
def test_bad_codes_all_get_the_same_message_and_change_nothing(client, world, newcomer, code, case):
    username, typed = "marie.dupont", code
    if case == "wrong":
        typed = "AAAAA-BBBBB"
    elif case == "expired":
        ActivationCode.objects.filter(user=newcomer).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "reused":
        ActivationCode.objects.filter(user=newcomer).update(used_at=timezone.now())
    elif case == "unknown":
        username = "personne.inconnue"
    elif case == "deactivated":
        User.objects.filter(pk=newcomer.pk).update(is_active=False)

    response = enter_code(client, username, typed)
    assert response.status_code == 200
    assert INVALID in response.content.decode()
    assert SESSION_KEY not in client.session
    # Even a forged step 2 goes nowhere without the pending activation in the session.
    response = choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    assert "_auth_user_id" not in client.session
    assert_nothing_changed(newcomer)


def test_wrong_code_counts_failed_attempts_and_stops_after_five(client, newcomer, code):
    for attempt in range(MAX_FAILED_ATTEMPTS):
        enter_code(client, "marie.dupont", "AAAAA-BBBBB")
        assert ActivationCode.objects.get(user=newcomer).failed_attempts == attempt + 1
    response = enter_code(client, "marie.dupont", code)
    assert INVALID in response.content.decode()
    assert SESSION_KEY not in client.session
    assert_nothing_changed(newcomer)


def test_already_activated_account_is_pointed_to_the_login_page(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    client.logout()
    response = enter_code(client, "marie.dupont", code)
    page = response.content.decode()
    assert "Ce compte est déjà activé" in page
    assert reverse("account_login") in page
    assert SESSION_KEY not in client.session


def test_already_activated_account_with_a_wrong_code_gets_the_common_message(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    client.logout()
    page = enter_code(client, "marie.dupont", "AAAAA-BBBBB").content.decode()
    assert INVALID in page
    assert "Ce compte est déjà activé" not in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abcdefghijk", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("motdepasse123", "Ce mot de passe est trop courant"),
        ("Azertyuiop2024!", "Ce mot de passe est trop courant"),
        ("mot de passe 1234", "Ce mot de passe est trop courant"),
        ("123456789012345", "Ce mot de passe est entièrement numérique."),
    ],
)
def test_weak_passwords_are_refused_in_french(client, world, newcomer, code, password, message):
    enter_code(client, "marie.dupont", code)
    response = choose_password(client, password, [world.a.school, world.b.school])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert_nothing_changed(newcomer)
    assert ActivationCode.objects.get(user=newcomer).used_at is None


@pytest.mark.parametrize("password", ["motdepasse123", "123Soleil456!!", "Jétaime 2024 !!", "Marseille13013"])
def test_policy_refuses_common_words_dressed_with_digits(password):
    with pytest.raises(ValidationError) as refusal:
        validate_password(password)
    assert "trop courant" in " ".join(refusal.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "ma phrase de passe très longue avec des accents éàü",
        "Le chat de Léa dort sur le radiateur",
        "Гимназия-Лицей № 1 — très bien",
        "京都の秋はとても美しいです、本当に",
        "cheval agrafe batterie correcte",
    ],
)
def test_policy_accepts_passphrases_in_any_script(password):
    validate_password(password)


def test_charters_must_be_accepted(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    response = choose_password(client, LONG_PASSPHRASE, [world.a.school])
    page = response.content.decode()
    assert f"Vous devez accepter la charte d&#x27;usage de {world.b.school.name}" in page
    assert_nothing_changed(newcomer)


def test_password_confirmation_must_match(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    response = choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school], confirm="autre chose encore")
    assert "Les deux mots de passe saisis sont différents." in response.content.decode()
    assert_nothing_changed(newcomer)


def test_long_unicode_passphrase_is_accepted_by_the_policy(newcomer):
    passphrase = "ma phrase de passe très longue avec des accents éàü"
    for candidate in (passphrase, passphrase + " et encore quelques mots pour dépasser 64 caractères"):
        code = issue_activation_code(user=newcomer)
        pending = ActivationCode.objects.get(user=newcomer, used_at=None)
        assert code
        activate_account(
            user=newcomer, activation_code=pending, password=candidate, schools=schools_to_accept(user=newcomer)
        )
        newcomer.refresh_from_db()
        assert newcomer.check_password(candidate)
    assert len(candidate) >= 64


def test_secretariat_reissued_letter_opens_activation_again(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    client.logout()
    first_activation = User.objects.get(pk=newcomer.pk).activated_at
    new_code = issue_activation_code(user=newcomer)
    enter_code(client, "marie.dupont", new_code)
    page = client.get(URL).content.decode()
    assert "Charte d&#x27;usage" not in page  # both charters are already accepted
    response = choose_password(client, "une nouvelle phrase de passe pour l'ENT", [])
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password("une nouvelle phrase de passe pour l'ENT")
    assert newcomer.activated_at == first_activation


def test_service_refuses_used_code_and_missing_charter(world, newcomer, code):
    pending = ActivationCode.objects.get(user=newcomer)
    with pytest.raises(ActivationError):
        activate_account(user=newcomer, activation_code=pending, password=LONG_PASSPHRASE, schools=[world.a.school])
    with pytest.raises(ValidationError):
        activate_account(
            user=newcomer, activation_code=pending, password="court", schools=[world.a.school, world.b.school]
        )
    assert_nothing_changed(newcomer)
    ActivationCode.objects.filter(pk=pending.pk).update(used_at=timezone.now())
    with pytest.raises(ActivationError):
        activate_account(
            user=newcomer, activation_code=pending, password=LONG_PASSPHRASE, schools=[world.a.school, world.b.school]
        )
    assert_nothing_changed(newcomer)


def test_pending_activation_lapses_when_the_account_is_deactivated_between_steps(client, world, newcomer, code):
    enter_code(client, "marie.dupont", code)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    response = choose_password(client, LONG_PASSPHRASE, [world.a.school, world.b.school])
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "_auth_user_id" not in client.session
    assert INVALID in client.get(response.url).content.decode()
    assert_nothing_changed(newcomer)


def test_activation_form_is_rate_limited_per_ip(client, newcomer, code):
    for _attempt in range(10):
        enter_code(client, "quelqu.un", "AAAAA-BBBBB")
    response = enter_code(client, "marie.dupont", code)
    assert response.status_code == 429
    assert "Trop de tentatives d&#x27;activation" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ActivationCode.objects.get(user=newcomer).failed_attempts == 0


def test_signed_in_person_is_sent_home(client, world):
    client.force_login(world.a.teacher)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_user_without_school_activates_without_charter(client):
    user = UserFactory(username="sans.ecole")
    user.set_unusable_password()
    user.save()
    code = issue_activation_code(user=user)
    enter_code(client, "sans.ecole", code)
    response = choose_password(client, LONG_PASSPHRASE, [])
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.activated_at is not None
    assert not CharterAcceptance.unscoped.filter(user=user).exists()
