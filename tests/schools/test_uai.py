"""The UAI: check letter, the admin's school form, and the French 404 pages of tenant URLs."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from schools.forms import SchoolAdminForm
from schools.models import School
from schools.uai import expected_check_letter, has_valid_check_letter, validate_uai
from tests.factories import SchoolFactory, UserFactory, WaveFactory

REAL_PARIS_UAIS = ["0750680G", "0750654D", "0752536Z"]


def school_data(uai: str, **extra: object) -> dict[str, object]:
    return {"uai": uai, "name": "Collège Test", "kind": School.Kind.COLLEGE, "status": School.Status.OPEN, **extra}


@pytest.mark.parametrize("uai", REAL_PARIS_UAIS)
def test_real_paris_uais_are_valid(uai):
    validate_uai(uai)
    assert has_valid_check_letter(uai)
    assert expected_check_letter(uai) == uai[-1]


@pytest.mark.parametrize("uai", ["075068", "0750680", "075068G", "07506800G", "A750680G", "0750680-", ""])
def test_malformed_uais_are_refused(uai):
    with pytest.raises(ValidationError) as refused:
        validate_uai(uai)
    assert refused.value.code == "uai_shape"
    assert "7 chiffres suivis d'une lettre" in refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("uai", REAL_PARIS_UAIS)
def test_admin_form_accepts_real_uais(uai):
    wave = WaveFactory()
    form = SchoolAdminForm(data=school_data(uai.lower(), wave=wave.pk, city="Paris"))
    assert form.is_valid(), form.errors
    school = form.save()
    assert school.uai == uai
    assert school.wave == wave


@pytest.mark.django_db
def test_admin_form_refuses_a_wrong_check_letter_naming_the_expected_one():
    form = SchoolAdminForm(data=school_data("0750680H", city="Paris"))
    assert not form.is_valid()
    assert form.errors["uai"] == ["La lettre clé de l'UAI « 0750680H » est fausse : la lettre attendue est G."]
    assert not School.objects.filter(uai__startswith="0750680").exists()


@pytest.mark.django_db
def test_admin_form_refuses_a_malformed_uai():
    form = SchoolAdminForm(data=school_data("075068G", city="Paris"))
    assert not form.is_valid()
    assert form.errors["uai"] == [
        "« 075068G » n'est pas un UAI : un UAI compte 7 chiffres suivis d'une lettre (par exemple 0750680G)."
    ]
    assert not School.objects.exists()


@pytest.mark.django_db
def test_admin_form_keeps_an_imported_school_with_a_wrong_letter_editable():
    # Anonymised rectorat data carries wrong letters: editing the school elsewhere must not fail.
    imported = SchoolFactory(uai="0750680H")
    form = SchoolAdminForm(data=school_data("0750680H", name="Collège renommé", city="Paris"), instance=imported)
    assert form.is_valid(), form.errors
    form.save()
    imported.refresh_from_db()
    assert imported.name == "Collège renommé"
    # Changing the UAI by hand, however, runs the full check.
    form = SchoolAdminForm(data=school_data("0750654E", city="Paris"), instance=imported)
    assert not form.is_valid()
    assert "la lettre attendue est D" in form.errors["uai"][0]


@pytest.mark.django_db
def test_django_admin_refuses_a_school_created_with_a_wrong_letter(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:schools_school_add")
    response = client.post(url, school_data("0752536A", city="Paris", postal_code="75011"))
    assert response.status_code == 200
    assert "la lettre attendue est Z" in unescape(response.content.decode())
    assert not School.objects.exists()
    response = client.post(url, school_data("0752536Z", city="Paris", postal_code="75011"))
    assert response.status_code == 302
    assert School.objects.get().uai == "0752536Z"


@pytest.mark.django_db
def test_malformed_uai_in_url_gets_a_french_404_explaining_the_format(client):
    response = client.get("/075068/")
    assert response.status_code == 404
    content = unescape(response.content.decode())
    assert (
        "« 075068 » n'est pas un UAI : un UAI compte 7 chiffres suivis d'une lettre (par exemple 0750680G)." in content
    )


@pytest.mark.django_db
def test_unknown_uai_in_url_gets_a_french_404(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    SchoolFactory(uai="0750680G")
    for user in (None, UserFactory(is_city_admin=True)):
        if user is not None:
            client.force_login(user)
        response = client.get("/0759999Z/")
        assert response.status_code == 404
        assert "Aucun établissement ne porte l'UAI 0759999Z." in unescape(response.content.decode())
        response = client.get("/0759999z/administration/")
        assert response.status_code == 404
        assert "Aucun établissement ne porte l'UAI 0759999Z." in unescape(response.content.decode())
