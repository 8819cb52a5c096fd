"""Personal API tokens: creation, use on the API, revocation, the /accounts/applications/ page."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from annuaire.models import PersonalToken
from annuaire.services.tokens import MAX_ACTIVE_TOKENS, create_token, revoke_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def test_create_token_keeps_only_a_hash_and_a_prefix():
    user = UserFactory()
    token, key = create_token(user=user, name="  Téléphone  ")
    token.refresh_from_db()
    assert token.name == "Téléphone"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert len(key) > 40
    stored = [str(value) for value in PersonalToken.objects.filter(pk=token.pk).values_list().get()]
    assert key not in stored


def test_each_token_is_different():
    user = UserFactory()
    keys = {create_token(user=user, name=f"appareil {n}")[1] for n in range(5)}
    assert len(keys) == 5


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_bad_name_is_refused_and_creates_nothing(name):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        create_token(user=user, name=name)
    assert "jeton" in str(error.value)
    assert not PersonalToken.objects.filter(user=user).exists()


def test_active_tokens_are_limited():
    user = UserFactory()
    for n in range(MAX_ACTIVE_TOKENS):
        create_token(user=user, name=f"appareil {n}")
    with pytest.raises(ValidationError, match="révoquez-en un"):
        create_token(user=user, name="un de trop")
    first = PersonalToken.objects.filter(user=user).first()
    revoke_token(user=user, token_id=first.pk)
    create_token(user=user, name="remplaçant")
    assert PersonalToken.objects.filter(user=user, revoked_at=None).count() == MAX_ACTIVE_TOKENS


def test_token_create_use_revoke_cycle(client):
    user = UserFactory(username="camille.martin")
    token, key = create_token(user=user, name="Téléphone")

    response = client.get(ME, headers=bearer(key))
    assert response.status_code == 200
    assert response.json()["identifier"] == "camille.martin"

    # `Token <key>` is accepted too.
    assert client.get(ME, headers={"authorization": f"Token {key}"}).status_code == 200

    revoke_token(user=user, token_id=token.pk)
    response = client.get(ME, headers=bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton a été révoqué."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_or_malformed_token_is_refused(client):
    response = client.get(ME, headers=bearer("ent_not-a-real-token"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton n'est pas valide."
    response = client.get(ME, headers={"authorization": "Bearer two parts"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    response = client.get(ME, headers={"authorization": "Bearer"})
    assert response.status_code == 401


def test_anonymous_call_answers_401_in_french(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert "authentification" in response.json()["detail"].lower()


def test_token_of_a_deactivated_account_is_refused(client):
    user = UserFactory()
    _token, key = create_token(user=user, name="Téléphone")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(ME, headers=bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce compte est désactivé."


def test_last_used_is_written_at_most_once_a_minute(client):
    user = UserFactory()
    token, key = create_token(user=user, name="Téléphone")
    assert token.last_used_at is None

    client.get(ME, headers=bearer(key))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get(ME, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first_use

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    PersonalToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    client.get(ME, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > two_minutes_ago + timedelta(minutes=1)


def test_another_users_token_cannot_be_revoked():
    owner, intruder = UserFactory(), UserFactory()
    token, _key = create_token(user=owner, name="Téléphone")
    with pytest.raises(Http404):
        revoke_token(user=intruder, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_keeps_the_first_date():
    user = UserFactory()
    token, _key = create_token(user=user, name="Téléphone")
    first = revoke_token(user=user, token_id=token.pk).revoked_at
    assert revoke_token(user=user, token_id=token.pk).revoked_at == first


# -- the page -------------------------------------------------------------------------------


def test_page_requires_login(client):
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_page_creates_a_token_and_shows_its_key_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("api_tokens"), {"action": "create", "name": "Téléphone de Camille"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Copiez ce jeton maintenant : il ne sera plus affiché." in html
    token = PersonalToken.objects.get(user=user)
    key = response.context["clear_key"]
    assert key in html
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash

    # The key works on the API, and is never shown again.
    assert client.get(ME, headers=bearer(key)).status_code == 200
    html = client.get(reverse("api_tokens")).content.decode()
    assert key not in html
    assert "Téléphone de Camille" in html
    assert token.prefix in html


def test_page_refuses_an_empty_name_in_french(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("api_tokens"), {"action": "create", "name": "  "})
    assert response.status_code == 400
    assert "Donnez un nom au jeton" in response.content.decode()
    assert not PersonalToken.objects.filter(user=user).exists()


def test_page_revokes_my_token(client):
    user = UserFactory()
    token, key = create_token(user=user, name="Tablette")
    client.force_login(user)
    response = client.post(reverse("api_tokens"), {"action": "revoke", "token_id": token.pk}, follow=True)
    assert response.status_code == 200
    assert "est révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(ME, headers=bearer(key)).status_code == 401


def test_page_cannot_revoke_another_users_token(client):
    owner, intruder = UserFactory(), UserFactory()
    token, _key = create_token(user=owner, name="Tablette")
    client.force_login(intruder)
    response = client.post(reverse("api_tokens"), {"action": "revoke", "token_id": token.pk})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    # The owner's token is not listed on the intruder's page.
    assert "Tablette" not in client.get(reverse("api_tokens")).content.decode()


def test_page_lists_only_my_tokens(client):
    me, other = UserFactory(), UserFactory()
    create_token(user=me, name="Mon téléphone")
    create_token(user=other, name="Son ordinateur")
    client.force_login(me)
    html = client.get(reverse("api_tokens")).content.decode()
    assert "Mon téléphone" in html
    assert "Son ordinateur" not in html
