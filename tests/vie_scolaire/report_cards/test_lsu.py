"""The LSU export of a period, validated against the ministry's newest schema (10.0)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from annuaire.models import Subject
from schools.tenancy import school_scope
from tests.vie_scolaire.grades.grades_world import Gradebook
from vie_scolaire.models import ReportCard, SubjectComment
from vie_scolaire.report_cards.lsu import NAMESPACE, export_lsu, validation_errors

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "lsu" / "ent-ng-competences" / "v10.0"
XSD = SCHEMA / "import-complet-strict.xsd"
needs_schema = pytest.mark.skipif(not XSD.exists(), reason=f"the LSU schema is read from {XSD}")


def prepare(book: Gradebook) -> None:
    cast = book.cast
    Subject.unscoped.filter(pk=cast.subject.pk).update(code="061300")  # the national code of mathematics
    ReportCard.unscoped.create(
        school=cast.school, period=book.term, student=cast.student, division=cast.division, general_comment="Sérieux."
    )
    SubjectComment.unscoped.create(
        school=cast.school, period=book.term, assignment=cast.assignment, student=cast.student, comment="Très bien."
    )


@needs_schema
def test_the_export_is_valid_against_the_newest_schema_and_carries_the_averages(book: Gradebook) -> None:
    prepare(book)
    cast = book.cast
    with school_scope(cast.school):
        export = export_lsu(school=cast.school, period=book.term)
    assert validation_errors(export.xml, XSD) == []
    assert export.exported == 1
    # The classmate has no general comment: left out, and the head is told why.
    assert f"{cast.classmate.get_full_name()} : pas d'appréciation générale, bilan non exporté." in export.problems
    document = etree.fromstring(export.xml)
    ns = {"l": NAMESPACE}
    acquis = document.find(".//l:acquis", ns)
    assert acquis.get("moyenne-eleve") == "12.57"
    assert acquis.get("moyenne-structure") == "11.89"  # (12.571 + 11.2) / 2
    assert acquis.findtext("l:appreciation", namespaces=ns) == "Très bien."
    assert document.findtext(".//l:acquis-conseils", namespaces=ns) == "Sérieux."
    assert document.find(".//l:discipline", ns).get("code") == "061300"


def test_a_subject_without_a_national_code_is_left_out_and_said(book: Gradebook) -> None:
    cast = book.cast
    ReportCard.unscoped.create(
        school=cast.school, period=book.term, student=cast.student, division=cast.division, general_comment="Sérieux."
    )
    with school_scope(cast.school):
        export = export_lsu(school=cast.school, period=book.term)
    assert export.exported == 0
    assert (
        f"{cast.student.get_full_name()} : aucune matière à code national notée, bilan non exporté." in export.problems
    )
    assert export.xml == b""  # nothing to send: no file rather than an invalid one


def test_the_head_downloads_the_file_and_others_are_refused(client, book: Gradebook, settings) -> None:
    settings.LSU_XSD_PATH = str(XSD) if XSD.exists() else ""
    prepare(book)
    cast = book.cast
    page = reverse("grades:lsu", kwargs={"uai": cast.school.uai}) + f"?periode={book.term.pk}"
    client.force_login(cast.direction)
    content = client.get(page).content.decode()
    assert "1 bilan exportable" in content and "ne respecte pas le schéma" not in content
    response = client.get(page + "&fichier=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert b"lsun-bilans" in response.content
    for person in (cast.teacher, cast.staff, cast.parent):
        client.force_login(person)
        assert client.get(page).status_code == 403
