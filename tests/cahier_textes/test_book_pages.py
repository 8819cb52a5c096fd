"""The homework book's pages: a teacher gives homework, the student and the parent read it, the head signs."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from cahier_textes.models import Homework, HomeworkDone, LessonEntry
from schools.pdf import pdf_writer
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import LessonFactory, MembershipFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Lesson

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def maths(timetable: Timetable, day: datetime.date = MONDAY) -> Lesson:
    with school_scope(timetable.cast.school):
        return Lesson.objects.get(weekly_lesson=timetable.maths, date=day)


def url(name: str, timetable: Timetable, **kwargs: object) -> str:
    return reverse(f"homework:{name}", kwargs={"uai": timetable.cast.school.uai, **kwargs})


def page(client, address: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_a_teacher_gives_homework_the_student_reads_and_ticks_it(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    lesson_url = url("lesson", timetable, lesson_id=lesson.pk)
    client.post(lesson_url, {"action": "entry", "content": "<p>Les fractions<script>alert(1)</script></p>"})
    client.post(
        lesson_url, {"action": "homework", "description": "Exercices 3 et 4 p. 52", "kind": "to_do", "minutes": "20"}
    )
    with school_scope(cast.school):
        homework = Homework.objects.get()
        assert homework.due_on == MONDAY + 7 * DAY and "<script" not in LessonEntry.objects.get().content
    client.force_login(cast.student)
    home = page(client, url("home", timetable) + f"?date={(MONDAY + DAY).isoformat()}")
    assert "Exercices 3 et 4 p. 52" in home and "Les fractions" in home and "20 minutes" in home
    client.post(url("tick", timetable, homework_id=homework.pk), {"done": "1"})
    with school_scope(cast.school):
        assert HomeworkDone.objects.filter(homework=homework, student=cast.student).exists()
    client.force_login(cast.teacher)
    assert "1 élève l'a marqué comme fait." in page(client, lesson_url)


def test_the_parent_reads_their_childs_homework_and_nobody_elses(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    with school_scope(cast.school):
        Homework.objects.create(school=cast.school, given_in=lesson, due_on=MONDAY + 7 * DAY, description="Rédaction")
    client.force_login(cast.parent)
    assert "Rédaction" in page(client, url("home", timetable) + f"?date={(MONDAY + DAY).isoformat()}")
    assert client.get(url("student", timetable, student_id=cast.other_student.pk)).status_code == 404


def test_a_student_cannot_read_another_divisions_lessons_or_book(client, timetable: Timetable) -> None:
    cast = timetable.cast
    with school_scope(cast.school):
        other = Lesson.objects.filter(weekly_lesson=timetable.other_division).first()
    client.force_login(cast.other_student)  # in the other division: the maths lesson is not theirs
    assert client.get(url("lesson", timetable, lesson_id=maths(timetable).pk)).status_code == 404
    assert client.get(url("division", timetable, division_id=cast.division.pk)).status_code == 404
    assert client.get(url("lesson", timetable, lesson_id=other.pk)).status_code == 200
    # Students read; they never write.
    response = client.post(url("lesson", timetable, lesson_id=other.pk), {"action": "entry", "content": "x"})
    assert response.status_code == 403


def test_the_head_signs_a_book_and_a_later_edit_is_marked(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    client.force_login(cast.teacher)
    lesson_url = url("lesson", timetable, lesson_id=lesson.pk)
    client.post(lesson_url, {"action": "entry", "content": "Fractions"})
    client.force_login(cast.direction)
    assert "Fractions" in page(client, url("division", timetable, division_id=cast.division.pk))
    client.post(url("visa", timetable, division_id=cast.division.pk), {"teacher": cast.teacher.pk, "comment": "Vu."})
    client.force_login(cast.teacher)
    client.post(lesson_url, {"action": "entry", "content": "Fractions et décimaux"})
    shown = page(client, lesson_url)
    assert "Modifié après le visa" in shown and "Fractions" in shown
    client.force_login(cast.direction)
    assert "visé le" in page(client, url("division", timetable, division_id=cast.division.pk))


def _queries(client, address: str) -> int:  # type: ignore[no-untyped-def]
    client.get(address)  # warm the per-user caches
    with max_queries(40) as captured:
        assert client.get(address).status_code == 200
    return len(application_queries(captured))


def _more_homework(timetable: Timetable, count: int) -> None:
    cast = timetable.cast
    with school_scope(cast.school):
        for n in range(count):
            lesson = LessonFactory(
                school=cast.school,
                date=MONDAY + n % 5 * DAY,
                weekly_lesson__teachers=[cast.teacher],
                weekly_lesson__divisions=[cast.division],
            )
            LessonEntry.objects.create(school=cast.school, lesson=lesson, content=f"<p>Séance {n}</p>")
            Homework.objects.create(
                school=cast.school,
                given_in=lesson,
                due_on=MONDAY + (n % 5 + 1) * DAY,
                description=f"Travail {n}",
                minutes=10,
            )
            MembershipFactory(school=cast.school, division=cast.division)


def test_the_pages_cost_the_same_queries_with_thirty_times_more_homework(client, timetable: Timetable) -> None:
    cast = timetable.cast
    _more_homework(timetable, 1)
    addresses = {
        cast.student: url("home", timetable) + f"?date={MONDAY.isoformat()}",
        cast.teacher: url("division", timetable, division_id=cast.division.pk)
        + f"?date={(MONDAY + 7 * DAY).isoformat()}",
        cast.direction: url("workload", timetable, division_id=cast.division.pk) + f"?date={MONDAY.isoformat()}",
    }
    before = {}
    for user, address in addresses.items():
        client.force_login(user)
        before[user] = _queries(client, address)
    _more_homework(timetable, 30)
    for user, address in addresses.items():
        client.force_login(user)
        assert _queries(client, address) == before[user], address


def test_the_home_page_shows_the_homework_for_the_next_school_day(client, timetable: Timetable, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cast, lesson = timetable.cast, maths(timetable)
    friday = MONDAY + 4 * DAY
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: friday)
    with school_scope(cast.school):
        Homework.objects.create(
            school=cast.school, given_in=lesson, due_on=MONDAY + 7 * DAY, description="Poème à apprendre"
        )
    home = reverse("school_home", kwargs={"uai": cast.school.uai})
    for person in (cast.student, cast.parent):
        client.force_login(person)
        assert "Poème à apprendre" in page(client, home)


def test_the_api_gives_homework_and_entries_and_takes_the_students_tick(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable)
    with school_scope(cast.school):
        homework = Homework.objects.create(
            school=cast.school, given_in=lesson, due_on=MONDAY + 7 * DAY, description="<p>Exercice 2</p>", minutes=15
        )
        LessonEntry.objects.create(school=cast.school, lesson=lesson, content="<p>Fractions</p>")
    api = f"/api/v1/{cast.school.uai}"
    week = {"from": MONDAY.isoformat(), "to": (MONDAY + 7 * DAY).isoformat()}
    client.force_login(cast.student)
    rows = client.get(f"{api}/homework/", week).json()
    assert [(r["subject"], r["due_on"], r["minutes"], r["done"]) for r in rows] == [
        ("Mathématiques", (MONDAY + 7 * DAY).isoformat(), 15, False)
    ]
    assert [e["content"] for e in client.get(f"{api}/lesson-entries/", week).json()] == ["<p>Fractions</p>"]
    done = client.post(f"{api}/homework/{homework.pk}/done/", {"done": True}, content_type="application/json")
    assert done.status_code == 200 and client.get(f"{api}/homework/", week).json()[0]["done"] is True
    client.force_login(cast.parent)
    assert len(client.get(f"{api}/homework/", {**week, "student": cast.student.pk}).json()) == 1
    assert client.get(f"{api}/homework/", {**week, "student": cast.other_student.pk}).status_code == 404
    refused = client.post(f"{api}/homework/{homework.pk}/done/", {"done": True}, content_type="application/json")
    assert refused.status_code == 403  # only the student ticks their own work
    client.force_login(cast.other_student)
    assert client.get(f"{api}/lesson-entries/", week).json() == []  # another division's book stays closed


def test_a_teacher_joins_a_file_and_a_link_the_class_downloads_them_others_cannot(
    client, timetable: Timetable, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cahier_textes.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    settings.HOMEWORK_ATTACHMENT_MAX_BYTES = 1000
    cast, lesson = timetable.cast, maths(timetable)
    lesson_url = url("lesson", timetable, lesson_id=lesson.pk)
    client.force_login(cast.teacher)
    pdf = SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(lesson_url, {"action": "attach", "target": "0", "name": "Fiche d'exercices", "file": pdf})
    client.post(lesson_url, {"action": "attach", "target": "0", "url": "https://fr.wikipedia.org/wiki/Fraction"})
    for refused, message in (
        (
            {
                "file": SimpleUploadedFile(
                    "cours.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
                )
            },
            "Joignez un PDF",
        ),
        (
            {"file": SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * 2000, content_type="application/pdf")},
            "taille maximale",
        ),
        ({"url": "javascript:alert(1)"}, "https://"),
    ):
        shown = unescape(client.post(lesson_url, {"action": "attach", "target": "0", **refused}).content.decode())
        assert message in shown
    with school_scope(cast.school):
        attachments = {a.name: a for a in Attachment.objects.all()}
    assert set(attachments) == {"Fiche d'exercices", "https://fr.wikipedia.org/wiki/Fraction"}
    file_url = url("attachment", timetable, attachment_id=attachments["Fiche d'exercices"].pk)
    client.force_login(cast.student)
    response = client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(cast.other_student)
    assert client.get(file_url).status_code == 404
    client.force_login(cast.teacher)
    client.post(lesson_url, {"action": "detach", "attachment": attachments["Fiche d'exercices"].pk})
    with school_scope(cast.school):
        assert list(Attachment.objects.values_list("name", flat=True)) == ["https://fr.wikipedia.org/wiki/Fraction"]


@pytest.mark.skipif(pdf_writer() is None, reason="weasyprint needs Pango (libpango-1.0-0)")
def test_a_teachers_year_for_a_division_exports_as_one_pdf(client, timetable: Timetable) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    cast, lesson = timetable.cast, maths(timetable)
    with school_scope(cast.school):
        LessonEntry.objects.create(school=cast.school, lesson=lesson, content="<p>Théorème de Thalès</p>")
    client.force_login(cast.direction)
    address = url("pdf", timetable, division_id=cast.division.pk)
    response = client.get(address, {"enseignant": cast.teacher.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Théorème de Thalès" in text and cast.division.name in text
    assert client.get(address).status_code == 302  # a teacher must be chosen


def test_the_head_delegates_reading_every_book_and_the_visa(client, timetable: Timetable) -> None:
    from annuaire.models import Profile
    from annuaire.services.delegations import grant_delegation, withdraw_delegation
    from cahier_textes.models import Visa
    from cahier_textes.permissions import READ_ALL_BOOKS, SIGN_VISA
    from tests.factories import MembershipFactory

    cast, lesson = timetable.cast, maths(timetable)
    with school_scope(cast.school):
        LessonEntry.objects.create(school=cast.school, lesson=lesson, content="<p>Les fractions</p>")
    # An inspector's local account: a member of the school's staff, with the right to read every book.
    inspector = MembershipFactory(school=cast.school, profile=Profile.STAFF, division=None).user
    book = url("division", timetable, division_id=cast.division.pk) + f"?date={MONDAY.isoformat()}"
    lesson_url = url("lesson", timetable, lesson_id=lesson.pk)
    client.force_login(inspector)
    assert client.get(lesson_url).status_code == 404
    with school_scope(cast.school):
        grant_delegation(school=cast.school, user=inspector, permission=READ_ALL_BOOKS, granted_by=cast.direction)
    assert "Les fractions" in page(client, book) and "Les fractions" in page(client, lesson_url)
    assert "Viser le cahier" not in page(client, book)
    # A deputy signs the visa for the head.
    deputy = MembershipFactory(school=cast.school, profile=Profile.STAFF, division=None).user
    with school_scope(cast.school):
        grant_delegation(school=cast.school, user=deputy, permission=SIGN_VISA, granted_by=cast.direction)
    client.force_login(deputy)
    client.post(url("visa", timetable, division_id=cast.division.pk), {"teacher": cast.teacher.pk, "comment": "Vu."})
    with school_scope(cast.school):
        assert Visa.objects.get().signed_by == deputy
    with school_scope(cast.school):
        withdraw_delegation(school=cast.school, user=inspector, permission=READ_ALL_BOOKS, withdrawn_by=cast.direction)
    client.force_login(inspector)
    assert client.get(lesson_url).status_code == 404


def test_the_students_page_names_today_and_tomorrow(client, timetable: Timetable) -> None:
    cast, lesson = timetable.cast, maths(timetable, MONDAY - 7 * DAY)
    with school_scope(cast.school):
        for due, text in ((MONDAY, "Pour lundi"), (MONDAY + DAY, "Pour mardi"), (MONDAY + 3 * DAY, "Pour jeudi")):
            Homework.objects.create(school=cast.school, given_in=lesson, due_on=due, description=text)
    client.force_login(cast.student)
    shown = page(client, url("home", timetable))
    assert "Pour aujourd'hui" in shown and "Pour demain, mardi 1 décembre" in shown
    assert "Pour le jeudi 3 décembre" in shown


def test_a_malformed_date_is_said_in_french_and_the_week_shown(client, timetable: Timetable) -> None:
    client.force_login(timetable.cast.student)
    shown = page(client, url("home", timetable) + "?date=30-11-2026")
    assert "La date « 30-11-2026 » n'est pas valide : voici la semaine en cours." in shown


def test_homework_under_a_visa_offers_no_delete_button_as_the_service_refuses_it(client, timetable: Timetable) -> None:
    from cahier_textes.services import sign_visa

    cast, lesson = timetable.cast, maths(timetable)
    lesson_url = url("lesson", timetable, lesson_id=lesson.pk)
    client.force_login(cast.teacher)
    client.post(lesson_url, {"action": "homework", "description": "Exercice 1", "kind": "to_do"})
    assert "Supprimer ce travail" in page(client, lesson_url)
    with school_scope(cast.school):
        sign_visa(teacher=cast.teacher, division=cast.division, signed_by=cast.direction)
    assert "Supprimer ce travail" not in page(client, lesson_url)
