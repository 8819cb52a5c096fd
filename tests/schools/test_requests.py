"""The request kit: the URL's school on pages and API routes alike, the signed-in user and their
profiles there, the refusals (404 without a school, 403 without the right, `not_found`), and the form
helpers of `schools.forms.kit`."""

from __future__ import annotations

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.forms import Form, IntegerField
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from annuaire.models import Profile
from schools.access import not_found
from schools.forms.kit import posted_id, requested_date, saved
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.schools.kit_urls")]

NO_SCHOOL = "Cette adresse ne désigne aucun établissement."


def test_a_page_reads_the_urls_school_the_user_and_their_profiles_there(client, world):
    MembershipFactory(school=world.a.school, user=world.a.teacher, profile=Profile.PARENT)
    MembershipFactory(school=world.b.school, user=world.a.teacher, profile=Profile.DIRECTION)
    client.force_login(world.a.teacher)
    response = client.get(reverse("kit-page", kwargs={"uai": world.a.school.uai}))
    assert response.status_code == 200
    # The profiles held in school B are not the user's here.
    assert response.json() == {"uai": world.a.school.uai, "user": "prof.a", "profiles": ["parent", "teacher"]}


def test_an_api_route_reads_the_same_through_drf(client, world):
    client.force_login(world.b.student)
    response = client.get(reverse("kit-api", kwargs={"uai": world.b.school.uai}))
    assert response.status_code == 200
    assert response.json() == {"uai": world.b.school.uai, "user": "eleve.b", "profiles": ["student"]}


def test_a_page_without_a_school_answers_404_in_french(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("kit-no-school"))
    assert response.status_code == 404
    assert NO_SCHOOL in html.unescape(response.content.decode())


def test_an_api_route_without_a_school_answers_a_json_404_in_french(client, world):
    client.force_login(world.a.teacher)
    response = client.get(reverse("kit-api-no-school"))
    assert response.status_code == 404
    assert response.json() == {"detail": NO_SCHOOL}


def test_school_with_refuses_a_missing_right_with_403_in_french(client, world):
    url = reverse("kit-services", kwargs={"uai": world.a.school.uai})
    client.force_login(world.a.teacher)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Vous n'avez pas le droit d'ouvrir cette page." in html.unescape(refused.content.decode())
    client.force_login(world.a.direction)
    assert client.get(url).json() == {"uai": world.a.school.uai}


def test_not_found_is_a_404_carrying_its_message():
    with pytest.raises(Http404) as raised:
        not_found("Ce brouillon n'existe pas.")
    assert raised.value.args == ("Ce brouillon n'existe pas.",)


# -- schools.forms.kit ---------------------------------------------------------------------


def _with_messages(request):  # type: ignore[no-untyped-def]
    request._messages = CookieStorage(request)
    return request


def test_posted_id_accepts_digits_only_and_refuses_forged_ids():
    assert posted_id(RequestFactory().post("/", {"homework": "42"}), "homework") == 42
    for raw in ("", "-1", "4x", str(2**63)):
        with pytest.raises(ValidationError) as raised:
            posted_id(RequestFactory().post("/", {"homework": raw}), "homework")
        assert raised.value.messages == ["Élément inconnu."]


def test_requested_date_reads_the_query_and_says_when_it_is_malformed():
    default = datetime.date(2026, 12, 7)
    assert requested_date(_with_messages(RequestFactory().get("/?date=2026-11-30")), default) == datetime.date(
        2026, 11, 30
    )
    request = _with_messages(RequestFactory().get("/?date=hier"))
    assert requested_date(request, default) == default
    said = [str(message) for message in get_messages(request)]
    assert said == ["La date « hier » n'est pas valide : voici la semaine en cours."]


class _CountForm(Form):
    count = IntegerField()


def _refuse() -> None:
    raise ValidationError("Refusé par la règle.")


def test_saved_writes_for_a_valid_form_and_shows_a_refusal_on_it():
    request = _with_messages(RequestFactory().post("/"))
    written: list[int] = []
    form = _CountForm({"count": "3"})
    assert saved(request, form, lambda: written.append(form.cleaned_data["count"]), "Enregistré.")
    assert written == [3]
    assert [str(message) for message in get_messages(request)] == ["Enregistré."]

    refused = _CountForm({"count": "3"})
    assert not saved(request, refused, _refuse, "Enregistré.")
    assert refused.non_field_errors() == ["Refusé par la règle."]
    assert not saved(request, _CountForm({"count": "trois"}), _refuse, "Enregistré.")
