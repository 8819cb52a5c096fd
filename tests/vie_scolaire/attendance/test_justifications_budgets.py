"""The student's attendance page and the office's queue cost the same queries with one line or many.

Like tests/ent/test_query_budgets.py: the bound is the measured count, and a bigger world
never costs more than a small one (a query per row breaks it).
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from annuaire.models import Profile, User
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import DivisionFactory, GuardianshipFactory, MembershipFactory, UserFactory
from tests.vie_scolaire.attendance.attendance_support import (
    document,
    lateness,
    lessons_of,
    reason,
    roll_call_absence,
)
from tests.vie_scolaire.conftest import Timetable
from vie_scolaire.attendance.services.justifications import justify
from vie_scolaire.models import EarlyDeparture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_evening")]

# Measured. The base page: school, session, user, memberships, delegations, services, the switcher's
# schools. Then the student; the absences, lateness and early departures; the parent's children;
# whether an adult student keeps it from them (the student's adult age); who follows the student's
# attendance (adult age, legal links), once for the form and once for the documents; the reasons of the form.
PARENT_PAGE_QUERIES = 18
# The office: no children nor legal link, the reasons of its two forms.
OFFICE_PAGE_QUERIES = 13
# The base page; the count, the page, its absences, its lateness, the students' divisions, the
# reasons that justify.
QUEUE_QUERIES = 13


def fill(timetable: Timetable, student: User, parent: User, count: int) -> None:
    """`count` absences, lateness and departures; half the absences and lateness justified with a document."""
    cast = timetable.cast
    absences = [roll_call_absence(student, lesson) for lesson in lessons_of(timetable, timetable.maths, count)]
    latenesses = [lateness(student, lesson) for lesson in lessons_of(timetable, timetable.group_lesson, count)]
    for lesson in lessons_of(timetable, timetable.week_a, count):
        EarlyDeparture.unscoped.create(
            school=cast.school, student=student, lesson=lesson, left_at=datetime.time(10, 30)
        )
    with school_scope(cast.school):
        for absence, late in list(zip(absences, latenesses, strict=True))[: count // 2]:
            justify(
                school=cast.school,
                student=student,
                submitted_by=parent,
                absence_ids=[absence.pk],
                lateness_ids=[late.pk],
                reason=reason(cast.school, "MALADIE"),
                document=document(),
            )


def queries(client: Client, url: str, budget: int) -> int:
    with max_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(application_queries(captured))


def student_page(timetable: Timetable, student: User) -> str:
    return reverse("attendance:student", kwargs={"uai": timetable.cast.school.uai, "student_id": student.pk})


def test_the_student_page_costs_the_same_for_one_line_or_many(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    fill(timetable, cast.student, cast.parent, 2)
    client.force_login(cast.parent)
    small_parent = queries(client, student_page(timetable, cast.student), PARENT_PAGE_QUERIES)
    client.force_login(cast.staff)
    small_office = queries(client, student_page(timetable, cast.student), OFFICE_PAGE_QUERIES)

    other_parent = UserFactory(username="parent.nombreux")
    MembershipFactory(school=cast.school, user=other_parent, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=other_parent)
    fill(timetable, cast.classmate, other_parent, 12)
    client.force_login(other_parent)
    assert queries(client, student_page(timetable, cast.classmate), PARENT_PAGE_QUERIES) <= small_parent
    client.force_login(cast.staff)
    assert queries(client, student_page(timetable, cast.classmate), OFFICE_PAGE_QUERIES) <= small_office


def test_the_queue_costs_the_same_for_one_justification_or_a_full_page(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    url = reverse("attendance:justifications", kwargs={"uai": cast.school.uai})
    fill(timetable, cast.student, cast.parent, 2)
    client.force_login(cast.staff)
    small = queries(client, url, QUEUE_QUERIES)
    for number in range(6):
        division = DivisionFactory(school=cast.school, school_year=2026)
        student = UserFactory(username=f"eleve.file.{number}")
        MembershipFactory(school=cast.school, user=student, profile=Profile.STUDENT, division=division)
        parent = UserFactory(username=f"parent.file.{number}")
        MembershipFactory(school=cast.school, user=parent, profile=Profile.PARENT)
        GuardianshipFactory(school=cast.school, student=student, guardian=parent)
        fill(timetable, student, parent, 8)
    page = client.get(url).content.decode()
    assert "eleve.file" not in page  # names, not usernames
    assert queries(client, url, QUEUE_QUERIES) <= small
