"""The head's import page: upload the export, preview, apply; bad files refused in French."""

from __future__ import annotations

import datetime
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annuaire.models import Profile
from schools.models import School
from tests.factories import MembershipFactory, UserFactory
from tests.vie_scolaire.timetable.timetable_support import TIMETABLE, row_counts, school, teacher
from vie_scolaire.models import Lesson, WeeklyLesson

pytestmark = pytest.mark.django_db
CASE1 = TIMETABLE / "sts-web" / "open-ent-ng-edt" / "case1"
ENCRYPTED = TIMETABLE / "index-education-edt" / "laclasse-cahiertextes" / "Edt_To_LaclasseCom_0134567A.xml"


@pytest.fixture
def head(client):  # type: ignore[no-untyped-def]
    college = school("0771991W")
    teacher(college, "Doe", "Jane", datetime.date(1980, 1, 1))
    direction = UserFactory()
    MembershipFactory(school=college, user=direction, profile=Profile.DIRECTION)
    client.force_login(direction)
    return reverse("timetable_admin:import", kwargs={"uai": college.uai})


def upload(*paths: Path) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/xml") for path in paths]


def test_a_preview_writes_nothing_then_the_import_applies(client, head: str) -> None:
    files = [CASE1 / "sts_emp.xml", CASE1 / "emp_sts.xml"]
    preview = unescape(client.post(head, {"export": upload(*files), "dry_run": "on"}).content.decode())
    assert "Simulation : voici ce qui changerait" in preview
    assert "1 cours hebdomadaire créé" in preview
    assert row_counts()["WeeklyLesson"] == 0
    applied = unescape(client.post(head, {"export": upload(*files)}).content.decode())
    assert "Import appliqué" in applied and "1 séance créée" in applied
    assert WeeklyLesson.unscoped.count() == 1
    assert Lesson.unscoped.get().date == datetime.date(2099, 9, 3)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: upload(ENCRYPTED), "chiffré"),
        (lambda: upload(CASE1 / "emp_sts.xml"), "sts_emp"),
        (lambda: [SimpleUploadedFile("edt.pdf", b"%PDF-1.4", content_type="application/pdf")], "ni un fichier XML"),
        (lambda: [SimpleUploadedFile("edt.xml", b"<EDT_STS><oops>", content_type="text/xml")], "XML mal formé"),
        (lambda: [], "Choisissez au moins un fichier."),
    ],
)
def test_bad_files_are_refused_in_french_and_change_nothing(client, head: str, files, message: str) -> None:  # type: ignore[no-untyped-def]
    before = row_counts()
    content = unescape(client.post(head, {"export": files()}).content.decode())
    assert message in content, content[-3000:]
    assert row_counts() == before


def test_only_heads_import(client, head: str) -> None:
    someone = UserFactory()
    MembershipFactory(school=school("0750680G"), user=someone, profile=Profile.DIRECTION)
    teacher_user = UserFactory()
    MembershipFactory(school=School.objects.get(uai=head.split("/")[1]), user=teacher_user, profile=Profile.TEACHER)
    client.force_login(teacher_user)
    assert client.get(head).status_code == 403
    client.force_login(someone)  # a head of another school
    assert client.get(head).status_code == 403
