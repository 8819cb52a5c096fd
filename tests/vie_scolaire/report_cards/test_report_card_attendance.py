"""The report card's absence summary: half-days, unjustified ones and lateness of the period, on the PDF,
and left out of the copy the parents of an adult student who keeps their attendance from them download."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from annuaire.models import User
from schools.pdf import pdf_writer
from schools.tenancy import school_scope
from tests.vie_scolaire.attendance.half_day_support import absent, absent_from, at, day, late, lesson, reasons
from tests.vie_scolaire.grades.grades_world import Gradebook
from vie_scolaire.attendance.services.families import choose_family_follow
from vie_scolaire.models import ReportCard, ReportCardRun
from vie_scolaire.report_cards.services import write_report_cards

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(pdf_writer() is None, reason="weasyprint needs Pango (libpango-1.0-0)"),
]


def test_the_report_card_counts_the_periods_absences(book: Gradebook, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    cast = book.cast
    by_code = reasons(cast.school)
    division = [cast.division]
    maths, french = (lesson(cast.school, day(0), (h, 0), (h + 1, 0), divisions=division) for h in (8, 14))
    tuesday = lesson(cast.school, day(1), (8, 0), (9, 0), divisions=division)
    trip = lesson(cast.school, day(2), (8, 0), (9, 0), divisions=division)
    absent_from(cast.student, maths)  # Monday morning, unjustified
    absent_from(cast.student, french, reason=by_code["MALADIE"])  # Monday afternoon, justified
    absent_from(cast.student, trip, reason=by_code["SCOLAIRE"])  # a school outing: not on the report card
    late(cast.student, tuesday)
    # The next term's absences are not this report card's.
    absent(cast.student, at(book.next_term.first_day, 0), at(book.next_term.last_day, 0))
    with school_scope(cast.school):
        run = ReportCardRun.objects.create(school=cast.school, period=book.term, division=cast.division, total=2)
        assert write_report_cards(run=run).status == "done"
        card = ReportCard.objects.get(student=cast.student, period=book.term)
        classmate = ReportCard.objects.get(student=cast.classmate, period=book.term)
    assert (card.half_days_absent, card.half_days_unjustified, card.lateness) == (2, 1, 1)
    assert (classmate.half_days_absent, classmate.half_days_unjustified, classmate.lateness) == (0, 0, 0)
    with card.pdf.open("rb") as printed:
        text = PdfReader(io.BytesIO(printed.read())).pages[0].extract_text()
    assert "demi-journées d'absence : 2, dont non justifiées : 1 ; retards : 1." in text
    assert "Heures de cours manquées : 2,0." in " ".join(text.split())


def test_the_parents_of_an_adult_student_who_withholds_read_the_card_without_its_absences(
    book: Gradebook,
    client: Client,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = book.cast
    User.objects.filter(pk=cast.student.pk).update(birth_date=datetime.date(2000, 1, 1))
    cast.student.refresh_from_db()
    monday = lesson(cast.school, day(0), (8, 0), (9, 0), divisions=[cast.division])
    absent_from(cast.student, monday)
    with school_scope(cast.school):
        run = ReportCardRun.objects.create(school=cast.school, period=book.term, division=cast.division, total=2)
        write_report_cards(run=run)
        card = ReportCard.objects.get(student=cast.student, period=book.term)
        choose_family_follow(school=cast.school, student=cast.student, withheld=True)
    absences = "demi-journées d'absence : 1, dont non justifiées : 1"
    withheld = "a choisi que ses responsables légaux ne suivent plus ses absences"

    client.force_login(cast.parent)
    seen = downloaded(client, card)
    assert withheld in seen and absences not in seen and "Mathématiques" in seen
    for reader in (cast.student, cast.direction):
        client.force_login(reader)
        seen = downloaded(client, card)
        assert absences in seen and withheld not in seen

    # The student follows again: the parents read the card as printed.
    with school_scope(cast.school):
        choose_family_follow(school=cast.school, student=cast.student, withheld=False)
    client.force_login(cast.parent)
    assert absences in downloaded(client, card)


def downloaded(client: Client, card: ReportCard) -> str:
    response = client.get(reverse("grades:report_card", kwargs={"uai": card.school.uai, "card_id": card.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()  # type: ignore[attr-defined]
    return " ".join(text.split())
