"""Report cards: comments, the class council, the division's PDFs made by a task, the families' downloads."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from annuaire.models import TeachingAssignment
from schools.pdf import pdf_writer
from schools.tenancy import school_scope
from tests.vie_scolaire.grades.grades_world import Gradebook
from vie_scolaire.models import ReportCard, ReportCardRun, SubjectComment

pytestmark = pytest.mark.django_db
needs_pango = pytest.mark.skipif(pdf_writer() is None, reason="weasyprint needs Pango (libpango-1.0-0)")


def url(book: Gradebook, name: str, **kwargs: object) -> str:
    return reverse(f"grades:{name}", kwargs={"uai": book.cast.school.uai, **kwargs}) + f"?periode={book.term.pk}"


def test_the_teacher_writes_comments_and_only_for_their_students(client, book: Gradebook) -> None:
    cast = book.cast
    client.force_login(cast.teacher)
    address = url(book, "comments", assignment_id=cast.assignment.pk)
    response = client.post(address, {f"comment-{cast.student.pk}": "Très bon trimestre.", "other": "x"})
    assert response.status_code == 302
    with school_scope(cast.school):
        assert SubjectComment.objects.get(student=cast.student).comment == "Très bon trimestre."
    refused = client.post(address, {f"comment-{cast.other_student.pk}": "Intrus"}, follow=True)
    assert "ne suit pas ce service" in unescape(refused.content.decode())
    client.force_login(cast.student)
    assert client.get(address).status_code == 404


def test_the_council_is_the_head_teachers_or_the_directions(client, book: Gradebook) -> None:
    cast = book.cast
    address = url(book, "council", division_id=cast.division.pk)
    client.force_login(cast.teacher)
    assert client.get(address).status_code == 403  # not the head teacher yet
    TeachingAssignment.unscoped.filter(pk=cast.assignment.pk).update(is_head_teacher=True)
    data = {f"general-{cast.student.pk}": "Élève sérieux.", f"decision-{cast.student.pk}": "felicitations"}
    assert client.post(address, data).status_code == 302
    with school_scope(cast.school):
        card = ReportCard.objects.get(student=cast.student)
    assert (card.general_comment, card.get_council_decision_display()) == ("Élève sérieux.", "Félicitations")
    forged = client.post(address, {f"decision-{cast.student.pk}": "renvoi"}, follow=True)
    assert "Décision inconnue." in unescape(forged.content.decode())
    # Only the direction prints: the head teacher has no button.
    assert "Éditer les bulletins de la classe" not in unescape(client.get(address).content.decode())


@needs_pango
def test_the_head_generates_the_divisions_pdfs_and_families_download_theirs(
    client, book: Gradebook, django_capture_on_commit_callbacks, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = book.cast
    client.force_login(cast.direction)
    council = url(book, "council", division_id=cast.division.pk)
    client.post(council, {f"general-{cast.student.pk}": "Bon travail.", f"decision-{cast.student.pk}": "compliments"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(book, "generate", division_id=cast.division.pk)).status_code == 302
    with school_scope(cast.school):
        run = ReportCardRun.objects.get()
        card = ReportCard.objects.get(student=cast.student)
    assert (run.status, run.done, run.total) == ("done", 2, 2)
    assert "Dernière édition : Terminé — 2 sur 2." in unescape(client.get(council).content.decode())
    # The parent finds it and downloads a readable PDF with the grades and the council's word.
    client.force_login(cast.parent)
    listing = unescape(client.get(url(book, "report_cards", student_id=cast.student.pk)).content.decode())
    assert "1er trimestre (2026)" in listing
    response = client.get(reverse("grades:report_card", kwargs={"uai": cast.school.uai, "card_id": card.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Mathématiques" in text and "12,57" in text and "Compliments" in text and "Bon travail." in text
    # Another family's report card is not found.
    with school_scope(cast.school):
        classmate_card = ReportCard.objects.get(student=cast.classmate)
    forged = reverse("grades:report_card", kwargs={"uai": cast.school.uai, "card_id": classmate_card.pk})
    assert client.get(forged).status_code == 404
