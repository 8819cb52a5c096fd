"""What the tests of a head's hand edits share: the pages' URLs, signed-in clients, a letter's code, a person."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from annuaire.models import Membership, Profile, User
from schools.models import School

REVERT_LABEL = "Revenir aux coordonnées de l’annuaire"


def membership_of(user: User, school: School) -> Membership:
    return Membership.unscoped.get(user=user, school=school)


def contact_url(school: School, membership: Membership) -> str:
    return reverse("annuaire_admin:account_contact", kwargs={"uai": school.uai, "membership_id": membership.pk})


def revert_url(school: School, membership: Membership) -> str:
    return reverse("annuaire_admin:account_contact_revert", kwargs={"uai": school.uai, "membership_id": membership.pk})


def new_account_url(school: School) -> str:
    return reverse("annuaire_admin:account_new", kwargs={"uai": school.uai})


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def letter_code(html: str) -> str:
    match = re.search(r"data-activation-code>([A-Z0-9-]+)<", html)
    assert match, "the activation letter shows no code"
    return match.group(1)


LOCAL_PERSON = {
    "first_name": "Awa",
    "last_name": "Diallo",
    "profile": Profile.STAFF,
    "functions": "Service civique ; Aide aux devoirs",
    "email": "awa.diallo@example.org",
    "phone": "06 12 34 56 78",
}
