"""The Django admin: schools and waves, and the read-mostly directory tables, across schools."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annuaire.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name", ["schools_school", "schools_wave", "annuaire_user", "annuaire_membership", "annuaire_division"]
)
def test_changelists_list_every_school(superuser_client, world, name):
    response = superuser_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    if name in ("schools_school", "annuaire_membership", "annuaire_division"):
        content = response.content.decode()
        assert world.a.school.name in content
        assert world.b.school.name in content


def test_membership_is_read_mostly(superuser_client, world):
    membership = world.a.student_membership
    url = reverse("admin:annuaire_membership_change", args=[membership.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    # No creation, no deletion; only `active` is editable.
    assert superuser_client.get(reverse("admin:annuaire_membership_add")).status_code == 403
    assert superuser_client.get(reverse("admin:annuaire_membership_delete", args=[membership.pk])).status_code == 403
    response = superuser_client.post(url, {"profile": "direction"})
    assert response.status_code == 302
    membership = Membership.unscoped.get(pk=membership.pk)
    assert membership.profile == "student"
    assert membership.active is False  # an unchecked box switches the membership off


def test_division_is_read_only(superuser_client, world):
    url = reverse("admin:annuaire_division_change", args=[world.b.division.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert world.b.division.name in response.content.decode()
    assert superuser_client.post(url, {"name": "changé"}).status_code == 403
