"""A student's and a parent's grades: published ones only, averages explained, constant queries."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import AssessmentFactory, MembershipFactory, SubjectFactory, TeachingAssignmentFactory
from tests.vie_scolaire.grades.grades_world import Gradebook, later_for_parents
from vie_scolaire.grades.averages import display
from vie_scolaire.grades.selectors.divisions import period_averages
from vie_scolaire.grades.services.grades import record_grade
from vie_scolaire.models import Assessment, GradeCode

pytestmark = pytest.mark.django_db


def page(client, user, book: Gradebook, name: str = "home", **kwargs: object) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse(f"grades:{name}", kwargs={"uai": book.cast.school.uai, **kwargs}))
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_a_student_sees_their_grades_and_average(client, book: Gradebook) -> None:
    content = page(client, book.cast.student, book)
    assert "Mathématiques" in content and "Contrôle du 9 novembre" in content
    assert "12,57" in content  # 20 × (18 + 3 + 1) / (20 + 10 + 5)
    assert "Moyenne générale" in content


def test_the_explanation_shows_each_grade_and_the_formula(client, book: Gradebook) -> None:
    cast = book.cast
    content = page(client, cast.student, book, "explain", student_id=cast.student.pk, assignment_id=cast.assignment.pk)
    assert "20 × 22 ÷ 35 = <strong>12,57</strong>" in content
    assert "3/10" in content and "1/5" in content
    # The classmate's absence is explained as left out of their average.
    classmate = page(
        client, cast.staff, book, "explain", student_id=cast.classmate.pk, assignment_id=cast.assignment.pk
    )
    assert "non : ce code ne compte pas" in classmate
    assert "20 × 14 ÷ 25 = <strong>11,20</strong>" in classmate


def test_a_parent_sees_only_their_child_and_only_what_is_published_to_parents(client, book: Gradebook) -> None:
    cast = book.cast
    later_for_parents(book.tests[2], datetime.date(2026, 11, 25))
    parent_view = page(client, cast.parent, book)
    assert "Contrôle du 16 novembre" not in parent_view  # published to parents on the 25th
    assert "12,00" in parent_view  # 20 × (18 + 3) / 30: the hidden grade is left out of the average too
    student_view = page(client, cast.student, book)
    assert "Contrôle du 16 novembre" in student_view and "12,57" in student_view
    client.force_login(cast.parent)
    other = reverse("grades:student", kwargs={"uai": cast.school.uai, "student_id": cast.classmate.pk})
    assert client.get(other).status_code == 404


def test_an_unpublished_assessment_stays_with_the_teacher(client, book: Gradebook) -> None:
    Assessment.unscoped.filter(pk=book.tests[0].pk).update(published_to_students_on=datetime.date(2026, 12, 1))
    assert "Contrôle du 2 novembre" not in page(client, book.cast.student, book)
    assert "Contrôle du 2 novembre" in page(client, book.cast.teacher, book, "student", student_id=book.cast.student.pk)


def test_a_test_nobody_has_a_grade_in_yet_shows_dashes_not_blanks(client, book: Gradebook) -> None:
    cast = book.cast
    AssessmentFactory(
        school=cast.school, assignment=cast.assignment, period=book.term, title="Devoir à venir",
        date=datetime.date(2026, 11, 18), coefficient=2,
    )  # fmt: skip
    content = page(client, cast.student, book)
    row = content[content.index("Devoir à venir") :].split("</tr>")[0]
    # No grade, coefficient 2 (not 2,00), no class average, no min. – max.
    assert '<td class="number">—/20</td>' in row and '<td class="number">2</td>' in row
    assert '<td class="number">—</td>' in row and '<td class="number">— – —</td>' in row
    assert "12,57" in content  # the average does not move


def _student_queries(client, book: Gradebook) -> int:  # type: ignore[no-untyped-def]
    client.force_login(book.cast.student)
    with max_queries(30) as captured:
        assert client.get(reverse("grades:home", kwargs={"uai": book.cast.school.uai})).status_code == 200
    return len(application_queries(captured))


def test_a_students_page_costs_the_same_queries_with_more_subjects_grades_and_classmates(
    client, book: Gradebook
) -> None:
    small = _student_queries(client, book)
    cast = book.cast
    for _ in range(30):
        MembershipFactory(school=cast.school, division=cast.division)
    for _ in range(8):
        assignment = TeachingAssignmentFactory(
            school=cast.school, division=cast.division, subject=SubjectFactory(school=cast.school)
        )
        for _ in range(4):
            AssessmentFactory(school=cast.school, assignment=assignment, period=book.term)
    assert _student_queries(client, book) == small


def test_every_average_of_the_period_in_one_pass_matches_the_students_page(book: Gradebook) -> None:
    cast = book.cast
    with school_scope(cast.school), max_queries(4):
        figures = period_averages(cast.school, book.term)
    assert display(figures.subjects[(cast.student.pk, cast.assignment.pk)].value) == "12,57"
    assert display(figures.subjects[(cast.classmate.pk, cast.assignment.pk)].value) == "11,20"
    assert display(figures.general[cast.student.pk]) == "12,57"
    assert figures.general[cast.other_student.pk] is None  # another division: no grades


def test_the_direction_weights_subjects_in_the_overall_average(client, book: Gradebook) -> None:
    cast = book.cast
    french = TeachingAssignmentFactory(school=cast.school, division=cast.division, teacher=cast.teacher)
    AssessmentFactory(school=cast.school, assignment=french, period=book.term)
    with school_scope(cast.school):
        assessment = Assessment.objects.get(assignment=french)
        record_grade(
            assessment=assessment, student_id=cast.student.pk, raw="10", seen_version=0, recorded_by=cast.teacher
        )
    url = reverse("grades:coefficients", kwargs={"uai": cast.school.uai, "division_id": cast.division.pk})
    client.force_login(cast.direction)
    assert client.post(url, {f"coefficient-{cast.subject.pk}": "3"}).status_code == 302
    refused = client.post(url, {f"coefficient-{cast.subject.pk}": "120"}, follow=True)
    assert "n'est pas un coefficient entre 0 et 99" in unescape(refused.content.decode())
    content = page(client, cast.student, book)
    assert "Moyenne générale : <strong>11,93</strong>" in content  # (12.571 × 3 + 10) / 4
    client.force_login(cast.teacher)
    assert client.get(url).status_code == 403


def test_the_class_figures_follow_every_change_they_are_computed_from(client, book: Gradebook) -> None:
    """The class's figures are kept between readers (`class_figures`): a grade changed, or a code's
    rule changed, shows at the next reading, never the figures computed before."""
    cast = book.cast
    assert "(classe 11,89, min. 11,20, max. 12,57)" in page(client, cast.student, book)  # (12.57 + 11.20) / 2
    with school_scope(cast.school):
        record_grade(
            assessment=book.tests[0], student_id=cast.classmate.pk, raw="16", seen_version=1, recorded_by=cast.teacher
        )
    content = page(client, cast.student, book)
    assert "(classe 14,29, min. 12,57, max. 16,00)" in content  # the classmate: 20 × (16 + 4) / 25
    assert "17,00" in content  # the first test's class average: (18 + 16) / 2
    GradeCode.unscoped.filter(school=cast.school, code="Abs").update(counts_as_zero=True)
    # The classmate's absence now counts as a 0: 20 × (16 + 0 + 4) / 35 = 11.43.
    assert "(classe 12,00, min. 11,43, max. 12,57)" in page(client, cast.parent, book)
