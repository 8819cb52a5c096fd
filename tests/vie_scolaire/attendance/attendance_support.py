"""Shared pieces of the attendance tests on the timetable world: a fixed moment, lessons, absences, documents."""

from __future__ import annotations

import datetime
from html import unescape
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annuaire.models import User
from schools.models import School
from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import Timetable
from vie_scolaire.models import Absence, AbsenceReason, Justification, Lateness, Lesson, WeeklyLesson

# Friday 27 November 2026, 18:00 in Paris: the week before holds past lessons, the next one coming ones.
NOW = timezone.make_aware(datetime.datetime(2026, 11, 27, 18, 0))
LAST_MONDAY = datetime.date(2026, 11, 23)
NEXT_MONDAY = datetime.date(2026, 11, 30)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def lesson_on(weekly: WeeklyLesson, day: datetime.date) -> Lesson:
    with school_scope(weekly.school):
        return Lesson.objects.get(weekly_lesson=weekly, date=day)


def lessons_of(timetable: Timetable, weekly: WeeklyLesson, count: int) -> list[Lesson]:
    """The first `count` lessons of a weekly lesson, from the start of the year."""
    with school_scope(timetable.cast.school):
        return list(Lesson.objects.filter(weekly_lesson=weekly).order_by("date")[:count])


def roll_call_absence(student: User, lesson: Lesson) -> Absence:
    start = timezone.make_aware(datetime.datetime.combine(lesson.date, lesson.start))
    end = timezone.make_aware(datetime.datetime.combine(lesson.date, lesson.end))
    return Absence.unscoped.create(
        school_id=lesson.school_id,
        student=student,
        starts_at=start,
        ends_at=end,
        source=Absence.Source.ROLL_CALL,
        lesson=lesson,
    )


def lateness(student: User, lesson: Lesson, minutes: int = 10) -> Lateness:
    return Lateness.unscoped.create(school_id=lesson.school_id, student=student, lesson=lesson, minutes=minutes)


def reason(school: School, code: str) -> AbsenceReason:
    return AbsenceReason.unscoped.get(school=school, code=code)


def document(
    content: bytes = PDF, name: str = "certificat.pdf", content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refreshed(absence: Absence) -> Absence:
    return Absence.unscoped.select_related("reason", "justification").get(pk=absence.pk)


def justification_of(absence: Absence) -> Justification | None:
    return refreshed(absence).justification


def student_url(school: School, student: User) -> str:
    return reverse("attendance:student", kwargs={"uai": school.uai, "student_id": student.pk})


def justify_url(school: School, student: User) -> str:
    return reverse("attendance:justify", kwargs={"uai": school.uai, "student_id": student.pk})


def declare_url(school: School, student: User) -> str:
    return reverse("attendance:declare", kwargs={"uai": school.uai, "student_id": student.pk})


def decide_url(justification: Justification) -> str:
    uai = School.objects.get(pk=justification.school_id).uai
    return reverse("attendance:decide", kwargs={"uai": uai, "justification_id": justification.pk})


def document_url(justification: Justification) -> str:
    uai = School.objects.get(pk=justification.school_id).uai
    return reverse("attendance:document", kwargs={"uai": uai, "justification_id": justification.pk})


def page(client: Client, url: str) -> str:
    """A page the person may open, as its text reads."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def text(response: HttpResponse) -> str:
    return unescape(response.content.decode())


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
