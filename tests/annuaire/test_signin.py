"""Sign-in with django-allauth: identifier or e-mail, French pages, deactivated accounts,
brute-force limiting, password reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from annuaire.models import User
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing with the production hasher would make each test take seconds; the rules are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


WRONG_CREDENTIALS = "Identifiant (ou adresse e-mail) ou mot de passe incorrect."
TOO_MANY = "Trop de tentatives de connexion échouées."
INACTIVE = "Ce compte est désactivé. Adressez-vous au secrétariat de votre établissement."


def login(client, identifier: str, password: str):
    return client.post(reverse("account_login"), {"login": identifier, "password": password})


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_page_is_french_accessible_and_links_reset_and_activation(client):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in page
    assert 'href="#contenu"' in page  # the portal's layout, with its skip link
    assert "Identifiant ou adresse e-mail" in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert re.search(r'<label for="id_login">', page)
    assert re.search(r'<label for="id_password">', page)
    assert f'href="{reverse("account_reset_password")}">Mot de passe oublié ?</a>' in page
    assert f'href="{reverse("account_activate")}">Première connexion : activer mon compte</a>' in page
    assert "sign up" not in page.lower()


def test_login_by_identifier(client, world):
    response = login(client, world.a.teacher.username, DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(world.a.teacher.pk)


def test_login_by_email(client, world):
    response = login(client, world.a.parent.email, DEMO_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.a.parent.pk)


def test_wrong_password_gets_a_french_error(client, world):
    response = login(client, world.a.teacher.username, "pas le bon mot de passe")
    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG_CREDENTIALS in page
    assert 'role="alert"' in page
    assert signed_in_user_id(client) is None


def test_unknown_identifier_gets_the_same_error_as_a_wrong_password(client, world):
    response = login(client, "personne.inconnue", DEMO_PASSWORD)
    assert WRONG_CREDENTIALS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_deactivated_account_is_told_so_and_not_signed_in(client, world):
    user = world.a.student
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = login(client, user.username, DEMO_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    page = client.get(response.url)
    assert page.status_code == 200
    assert INACTIVE in page.content.decode()
    assert signed_in_user_id(client) is None


def test_deactivated_account_with_a_wrong_password_reveals_nothing(client, world):
    user = world.a.student
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = login(client, user.username, "pas le bon mot de passe")
    page = response.content.decode()
    assert WRONG_CREDENTIALS in page
    assert INACTIVE not in page


def test_brute_force_is_stopped_even_with_the_right_password(client, world):
    user = world.a.direction
    before = User.objects.values("password", "is_active", "last_login").get(pk=user.pk)
    for _attempt in range(5):
        response = login(client, user.username, "essai au hasard numéro")
        assert WRONG_CREDENTIALS in response.content.decode()
    response = login(client, user.username, DEMO_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 200
    assert TOO_MANY in page
    assert signed_in_user_id(client) is None
    assert User.objects.values("password", "is_active", "last_login").get(pk=user.pk) == before


def test_brute_force_limit_is_per_identifier(client, world):
    for _attempt in range(5):
        login(client, world.a.direction.username, "essai au hasard numéro")
    response = login(client, world.a.teacher.username, DEMO_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.a.teacher.pk)


def test_password_reset_page_is_french(client):
    response = client.get(reverse("account_reset_password"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#contenu"' in page
    assert "Réinitialisation du mot de passe" in page
    assert '<label for="id_email">Adresse e-mail' in page


def test_password_reset_sends_a_french_email_and_the_key_page_is_french(client, world):
    user = world.a.parent
    user.activated_at = timezone.now()
    user.save(update_fields=["activated_at"])
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "[ENT Paris] Réinitialisation de votre mot de passe"
    assert "Pour choisir un nouveau mot de passe, ouvrez ce lien" in message.body
    assert user.username in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body)
    assert link is not None
    page = client.get(link.group(1), follow=True)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Au moins 12 caractères" in text
    assert 'autocomplete="new-password"' in text

    new_password = "une phrase de passe toute neuve pour l'ENT"
    done = client.post(page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_skips_an_account_never_activated(client, world):
    # The first sign-in is the activation, where the charter is accepted.
    response = client.post(reverse("account_reset_password"), {"email": world.a.parent.email})
    assert response.status_code == 302
    assert mail.outbox == []
    world.a.parent.refresh_from_db()
    assert world.a.parent.has_usable_password()


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, world):
    response = client.post(reverse("account_reset_password"), {"email": "inconnu@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert client.get(response.url).status_code == 200


def test_password_change_page_uses_the_layout_and_the_policy_help(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("account_change_password"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#contenu"' in page
    assert "Au moins 12 caractères" in page
    assert 'aria-label="Mon compte"' in page


def test_password_change_refuses_a_short_password_in_french(client, world):
    user = world.a.teacher
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": DEMO_PASSWORD, "password1": "court123456", "password2": "court123456"},
    )
    assert "Ce mot de passe est trop court" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_mfa_page_is_french_in_the_layout(client, world):
    client.force_login(world.a.direction)
    response = client.get(reverse("mfa_index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#contenu"' in page
    assert "Authentification à deux facteurs" in page


def test_signup_is_closed_and_points_to_activation(client):
    response = client.get(reverse("account_signup"))
    page = response.content.decode()
    assert "Pas d&#x27;inscription en ligne" in page or "Pas d'inscription en ligne" in page
    assert reverse("account_activate") in page


def test_logout_page_is_french(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "Se déconnecter" in response.content.decode()
