"""The legal count of a month: students at 4 and at 10 unjustified half-days, on screen, in CSV and PDF."""

from __future__ import annotations

import csv
import datetime
import io
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from annuaire.models import User
from schools.pdf import pdf_writer
from schools.tenancy import school_scope
from tests.vie_scolaire.attendance.half_day_support import absent_from, lesson, new_student, reasons, weekly
from tests.world import SchoolCast, World
from vie_scolaire.attendance.selectors.office import month_thresholds

pytestmark = pytest.mark.django_db

needs_pango = pytest.mark.skipif(pdf_writer() is None, reason="weasyprint needs Pango (libpango-1.0-0)")

# Ten school days of November 2026, each with a morning lesson of the division.
DAYS = [datetime.date(2026, 11, 2) + datetime.timedelta(days=n) for n in range(14) if (2 + n) % 7 not in (0, 1)][:10]


def build_month(cast: SchoolCast) -> dict[int, User]:
    """Students missing 3, 4, 9 and 10 mornings without a reason, and one missing 10 for illness."""
    pattern = weekly(cast.school, divisions=[cast.division])
    mornings = [lesson(cast.school, when, (8, 0), (9, 0), of=pattern) for when in DAYS]
    illness = reasons(cast.school)["MALADIE"]
    students = {n: new_student(cast.school, cast.division, f"Absent{n:02d}") for n in (3, 4, 9, 10)}
    for missed, student in students.items():
        for morning in mornings[:missed]:
            absent_from(student, morning)
    ill = new_student(cast.school, cast.division, "Malade")
    for morning in mornings:
        absent_from(ill, morning, reason=illness)
    # A lesson of December: outside the month.
    absent_from(students[3], lesson(cast.school, datetime.date(2026, 12, 1), (8, 0), (9, 0), of=pattern))
    return students


def url(cast: SchoolCast, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("attendance:thresholds", kwargs={"uai": cast.school.uai}) + (f"?{query}" if query else "")


def test_the_thresholds_are_4_and_10(world: World) -> None:
    cast = world.a
    students = build_month(cast)
    with school_scope(cast.school):
        count = month_thresholds(school=cast.school, month=datetime.date(2026, 11, 18))
    assert (count.first, count.last) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert [(c.student_id, c.half_days_unjustified) for c in count.serious] == [(students[10].pk, 10)]
    assert [(c.student_id, c.half_days_unjustified) for c in count.referral] == [
        (students[9].pk, 9),
        (students[4].pk, 4),
    ]


def test_the_page_lists_both_thresholds_for_the_chosen_month(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_month(cast)
    client.force_login(cast.staff)
    page = unescape(client.get(url(cast, mois="2026-11")).content.decode())
    assert "Novembre 2026" in page
    assert "1 élève à 10 demi-journées non justifiées ou plus" in page
    assert "2 élèves de 4 à 9 demi-journées non justifiées" in page
    assert "Absent04" in page and "Absent03" not in page and "Malade" not in page
    october = unescape(client.get(url(cast, mois="2026-10")).content.decode())
    assert "Absent10" not in october and "Aucun élève." in october
    wrong = unescape(client.get(url(cast, mois="novembre")).content.decode())
    assert "Indiquez un mois sous la forme 2026-11." in wrong


def test_the_csv_opens_in_a_french_spreadsheet(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_month(cast)
    client.force_login(cast.direction)
    response = client.get(url(cast, mois="2026-11", format="csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="demi-journees-non-justifiees-2026-11.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Nom",
        "Prénom",
        "Classe",
        "Demi-journées non justifiées",
        "Demi-journées d'absence",
        "Heures manquées",
        "Seuil atteint",
    ]
    assert [(row[0], row[2], row[3], row[4], row[5], row[6]) for row in rows[1:]] == [
        ("Absent10", cast.division.name, "10", "10", "10,0", "10"),
        ("Absent09", cast.division.name, "9", "9", "9,0", "4"),
        ("Absent04", cast.division.name, "4", "4", "4,0", "4"),
    ]


@needs_pango
def test_the_pdf_lists_the_same_students(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_month(cast)
    client.force_login(cast.staff)
    response = client.get(url(cast, mois="2026-11", format="pdf"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "novembre 2026" in text and cast.school.uai in text
    assert "Absent10" in text and "Absent09" in text and "Absent04" in text and "Absent03" not in text
