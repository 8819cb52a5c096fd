"""Passwords are stored as Argon2id at OWASP's parameters; older PBKDF2 hashes are rewritten at sign-in."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

from ent import settings as project_settings
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_a_new_password_is_stored_as_argon2id_at_owasp_parameters(production_hashers):
    encoded = make_password(DEMO_PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(DEMO_PASSWORD, encoded)
    assert not check_password(DEMO_PASSWORD + "x", encoded)


def test_checking_a_password_costs_a_fraction_of_pbkdf2s(production_hashers):
    argon2, pbkdf2 = make_password(DEMO_PASSWORD), make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256")

    def cpu(encoded: str) -> float:
        started = time.process_time()
        check_password(DEMO_PASSWORD, encoded)
        return time.process_time() - started

    assert cpu(argon2) * 3 < cpu(pbkdf2)


def test_signing_in_with_an_older_pbkdf2_hash_rewrites_it_as_argon2id(client, production_hashers):
    user = UserFactory(password=DEMO_PASSWORD)
    user.password = make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(reverse("account_login"), {"login": user.username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert PBKDF2 in project_settings.PASSWORD_HASHERS  # still read, so nobody is locked out
