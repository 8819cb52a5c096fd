"""Skills of the socle: a teacher's levels with an assessment or alone, the end-of-cycle positioning."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from annuaire.models import TeachingAssignment
from schools.tenancy import school_scope
from tests.vie_scolaire.grades.grades_world import Gradebook
from vie_scolaire.models import CyclePositioning, SkillEvaluation

pytestmark = pytest.mark.django_db


def skills_url(book: Gradebook, **query: object) -> str:
    url = reverse("grades:skills", kwargs={"uai": book.cast.school.uai, "assignment_id": book.cast.assignment.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_levels_given_with_an_assessment_replace_that_assessments_levels(client, book: Gradebook) -> None:
    cast = book.cast
    client.force_login(cast.teacher)
    url = skills_url(book, evaluation=book.tests[0].pk)
    field = f"level-{cast.student.pk}-CPD_SCI"
    assert client.post(url, {field: "3", f"level-{cast.classmate.pk}-MET_APP": "2"}).status_code == 302
    assert client.post(url, {field: "4"}).status_code == 302  # changes the level, adds nothing
    with school_scope(cast.school):
        evaluation = SkillEvaluation.objects.get(student=cast.student)
        assert (evaluation.component, evaluation.level, evaluation.assessment_id) == ("CPD_SCI", 4, book.tests[0].pk)
        assert SkillEvaluation.objects.count() == 2
    assert client.post(url, {field: ""}).status_code == 302  # cleared
    # On their own, evaluations add up (dated today).
    client.post(skills_url(book), {field: "2"})
    client.post(skills_url(book), {field: "3"})
    with school_scope(cast.school):
        assert list(SkillEvaluation.objects.filter(student=cast.student).values_list("level", flat=True)) == [2, 3]
    page = unescape(
        client.get(
            reverse("grades:student", kwargs={"uai": cast.school.uai, "student_id": cast.student.pk})
        ).content.decode()
    )
    assert "Maîtrise satisfaisante" in page  # the latest level of CPD_SCI


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("CPD_SCI", "7", "Niveau inconnu."),
        ("XXX_YYY", "2", "Composante du socle inconnue."),
        ("CPD_SCI", "a", "Niveau inconnu."),
    ],
)
def test_bad_levels_and_foreign_students_are_refused(
    client, book: Gradebook, field: str, value: str, message: str
) -> None:
    cast = book.cast
    client.force_login(cast.teacher)
    response = client.post(skills_url(book), {f"level-{cast.student.pk}-{field}": value}, follow=True)
    assert message in unescape(response.content.decode())
    other = client.post(skills_url(book), {f"level-{cast.other_student.pk}-CPD_SCI": "2"}, follow=True)
    assert "ne suit pas ce service" in unescape(other.content.decode())
    with school_scope(cast.school):
        assert not SkillEvaluation.objects.exists()


def test_the_head_teacher_positions_the_division_at_the_end_of_the_cycle(client, book: Gradebook) -> None:
    cast = book.cast
    url = reverse("grades:positioning", kwargs={"uai": cast.school.uai, "division_id": cast.division.pk})
    client.force_login(cast.teacher)
    assert client.get(url).status_code == 403
    TeachingAssignment.unscoped.filter(pk=cast.assignment.pk).update(is_head_teacher=True)
    assert (
        client.post(url, {f"level-{cast.student.pk}-FRM_CIT": "0", f"level-{cast.student.pk}-REP_MND": "4"}).status_code
        == 302
    )
    with school_scope(cast.school):
        assert dict(CyclePositioning.objects.values_list("component", "level")) == {"FRM_CIT": 0, "REP_MND": 4}
    client.force_login(cast.student)
    assert client.get(url).status_code == 403
