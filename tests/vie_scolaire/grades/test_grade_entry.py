"""The teacher's grid: each cell saved, codes, bad values, a colleague's concurrent edit, a closed period."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from annuaire.models import Profile
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import AssessmentFactory, MembershipFactory, UserFactory
from tests.vie_scolaire.grades.grades_world import Gradebook
from tests.world import World
from vie_scolaire.models import Grade

pytestmark = pytest.mark.django_db


def save_url(book: Gradebook, index: int = 0) -> str:
    return reverse("grades:save_grade", kwargs={"uai": book.cast.school.uai, "assessment_id": book.tests[index].pk})


def grade_of(book: Gradebook, student, index: int = 0) -> Grade | None:  # type: ignore[no-untyped-def]
    with school_scope(book.cast.school):
        return Grade.objects.filter(assessment=book.tests[index], student=student).select_related("code").first()


def post_cell(client, book: Gradebook, value: str, version: int, student=None, index: int = 0):  # type: ignore[no-untyped-def]
    student = student or book.cast.student
    return client.post(save_url(book, index), {"student": student.pk, "value": value, "version": version})


def test_a_cell_saves_a_number_a_code_or_nothing(client, book: Gradebook) -> None:
    client.force_login(book.cast.teacher)
    response = post_cell(client, book, "15,5", version=1)
    assert response.status_code == 200 and response.json() == {"saved": True, "value": "15,5", "version": 2}
    assert grade_of(book, book.cast.student).value == 15.5
    response = post_cell(client, book, "abs0", version=2)
    assert response.json()["value"] == "Abs0"
    assert grade_of(book, book.cast.student).code.code == "Abs0"
    assert post_cell(client, book, "", version=3).json() == {"saved": True, "value": "", "version": 0}
    assert grade_of(book, book.cast.student) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("21", "21 dépasse le barème (20)."), ("douze", "« douze » n'est ni une note entre 0 et 20 ni un code connu"),
     ("-3", "n'est ni une note"), ("12.345", "n'est ni une note")],
)  # fmt: skip
def test_bad_values_are_refused_in_french_and_change_nothing(client, book: Gradebook, value: str, message: str) -> None:
    client.force_login(book.cast.teacher)
    response = post_cell(client, book, value, version=1)
    assert response.status_code == 400 and message in response.json()["error"]
    assert grade_of(book, book.cast.student).value == 18


def test_a_colleagues_change_meanwhile_is_shown_not_overwritten(client, book: Gradebook) -> None:
    """Two tabs load the grid at version 1; the first saves 16, the second's 12 is refused with 16 shown."""
    client.force_login(book.cast.teacher)
    assert post_cell(client, book, "16", version=1).status_code == 200
    stale = post_cell(client, book, "12", version=1)
    assert stale.status_code == 409
    assert stale.json()["theirs"] == "16" and stale.json()["version"] == 2
    assert "a modifié cette note entre-temps : 16" in stale.json()["message"]
    assert grade_of(book, book.cast.student).value == 16
    # Keeping one's own value: sent again with the version now seen.
    assert post_cell(client, book, "12", version=2).json()["value"] == "12"
    # Saving the value already there is never a conflict.
    assert post_cell(client, book, "12", version=1).status_code == 200


def test_a_closed_period_refuses_entry_until_the_head_reopens_it(
    client, book: Gradebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 12, 6))
    client.force_login(book.cast.teacher)
    response = post_cell(client, book, "11", version=1)
    assert response.status_code == 400
    assert "est close depuis le 5 décembre 2026 : la direction seule la rouvre." in response.json()["error"]
    book.term.entry_closes_on = datetime.date(2026, 12, 12)
    book.term.save()
    assert post_cell(client, book, "11", version=1).status_code == 200


def test_only_the_services_teacher_grades_and_only_its_students(client, book: Gradebook, world: World) -> None:
    colleague = UserFactory()
    MembershipFactory(school=book.cast.school, user=colleague, profile=Profile.TEACHER)
    for person in (colleague, book.cast.student, book.cast.parent, book.cast.staff):
        client.force_login(person)
        assert post_cell(client, book, "2", version=1).status_code == 404
    client.force_login(book.cast.teacher)
    response = post_cell(client, book, "2", version=0, student=book.cast.other_student)
    assert response.status_code == 400 and "ne suit pas ce service" in response.json()["error"]
    assert grade_of(book, book.cast.student).value == 18


def test_the_grid_shows_every_student_and_assessment(client, book: Gradebook) -> None:
    client.force_login(book.cast.teacher)
    url = reverse("grades:grid", kwargs={"uai": book.cast.school.uai, "assignment_id": book.cast.assignment.pk})
    content = unescape(client.get(url).content.decode())
    assert "Contrôle du 2 novembre" in content and book.cast.classmate.get_full_name() in content
    assert 'value="18"' in content and 'value="Abs"' in content
    assert book.cast.other_student.get_full_name() not in content  # another division


def _grid_queries(client, book: Gradebook) -> int:  # type: ignore[no-untyped-def]
    client.force_login(book.cast.teacher)
    url = reverse("grades:grid", kwargs={"uai": book.cast.school.uai, "assignment_id": book.cast.assignment.pk})
    with max_queries(30) as captured:
        assert client.get(url).status_code == 200
    return len(application_queries(captured))


def test_the_grid_costs_the_same_queries_for_35_students_and_25_assessments(client, book: Gradebook) -> None:
    small = _grid_queries(client, book)
    cast = book.cast
    for _ in range(33):
        MembershipFactory(school=cast.school, division=cast.division)
    for index in range(22):
        AssessmentFactory(school=cast.school, assignment=cast.assignment, period=book.term, title=f"Devoir {index}")
    assert _grid_queries(client, book) == small
