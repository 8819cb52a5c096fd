"""The attendance module's entry sends each profile to its own page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.vie_scolaire.conftest import MONDAY, Timetable

pytestmark = pytest.mark.django_db


def test_each_profile_lands_on_its_page(client, timetable: Timetable, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)
    cast = timetable.cast
    home = reverse("attendance:home", kwargs={"uai": cast.school.uai})
    student_page = reverse("attendance:student", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk})
    for person, expected in ((cast.student, student_page), (cast.parent, student_page)):
        client.force_login(person)
        assert client.get(home).url == expected
    client.force_login(cast.staff)
    assert client.get(home).url.startswith(f"/{cast.school.uai}/absences/")
    client.force_login(cast.teacher)
    content = client.get(home).content.decode()
    assert "Faire l'appel" in content and "Mathématiques" in content
