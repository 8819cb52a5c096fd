"""The grades API: a student's grades and explained averages, a parent's child's, the teacher's entry."""

from __future__ import annotations

import pytest

from schools.tenancy import school_scope
from tests.vie_scolaire.grades.grades_world import Gradebook
from vie_scolaire.models import Assessment, Grade

pytestmark = pytest.mark.django_db


def api(book: Gradebook, path: str) -> str:
    return f"/api/v1/{book.cast.school.uai}/{path}"


def test_a_student_reads_grades_and_the_explained_average(client, book: Gradebook) -> None:
    client.force_login(book.cast.student)
    rows = client.get(api(book, "grades/"), {"period": book.term.pk}).json()
    assert [(row["value"], row["scale"]) for row in rows] == [("18.00", 20), ("3.00", 10), ("1.00", 5)]
    averages = client.get(api(book, "averages/"), {"period": book.term.pk}).json()
    maths = averages["subjects"][0]
    assert maths["average"] == "12,57" and maths["formula"] == "20 × 22 / 35"
    assert [part["counted"] for part in maths["grades"]] == ["counted", "counted", "counted"]
    assert averages["general_average"] == "12,57"


def test_a_parent_names_their_child_and_only_theirs(client, book: Gradebook) -> None:
    client.force_login(book.cast.parent)
    assert client.get(api(book, "grades/"), {"period": book.term.pk}).status_code == 400
    assert len(client.get(api(book, "grades/"), {"period": book.term.pk, "student": book.cast.student.pk}).json()) == 3
    other = client.get(api(book, "grades/"), {"period": book.term.pk, "student": book.cast.classmate.pk})
    assert other.status_code == 404


def test_a_teacher_creates_an_assessment_and_puts_its_grades(client, book: Gradebook) -> None:
    cast = book.cast
    client.force_login(cast.teacher)
    created = client.post(
        api(book, "assessments/"),
        {"assignment": cast.assignment.pk, "period": book.term.pk, "title": "Oral", "date": "2026-11-19", "scale": 10},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assessment_id = created.json()["id"]
    response = client.put(
        api(book, f"assessments/{assessment_id}/grades/"),
        [
            {"student": cast.student.pk, "value": "8,5", "version": 0},
            {"student": cast.classmate.pk, "value": "Disp", "version": 0},
            {"student": cast.other_student.pk, "value": "7", "version": 0},
            {"student": cast.student.pk, "value": "9", "version": 0},
        ],
        content_type="application/json",
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["saved", "saved", "refused", "conflict"]
    assert results[3]["theirs"] == "8,5"
    with school_scope(cast.school):
        assert Grade.objects.filter(assessment_id=assessment_id).count() == 2
    # Outside the period, refused in French; another teacher's service is not found.
    refused = client.post(
        api(book, "assessments/"),
        {"assignment": cast.assignment.pk, "period": book.term.pk, "title": "Oral", "date": "2027-01-10"},
        content_type="application/json",
    )
    assert (
        refused.status_code == 400 and "La date doit appartenir à la période" in refused.json()["non_field_errors"][0]
    )
    client.force_login(cast.student)
    forbidden = client.put(
        api(book, f"assessments/{assessment_id}/grades/"),
        [{"student": cast.student.pk, "value": "20", "version": 1}],
        content_type="application/json",
    )
    assert forbidden.status_code == 404
    with school_scope(cast.school):
        assert Assessment.objects.filter(title="Oral").count() == 1
