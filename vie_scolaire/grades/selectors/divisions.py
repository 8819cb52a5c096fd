"""Reads of a division's grades: every average of a period (report cards, the benchmark), the
subjects' coefficients, the division's students."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from annuaire.models import Division, Membership, Profile, TeachingAssignment
from schools.models import School
from vie_scolaire.calendar.models import Period
from vie_scolaire.grades.averages import (
    SubjectAverage,
    WeightedAverage,
    general_average,
    subject_average,
)
from vie_scolaire.grades.models import Assessment, Grade, SubjectCoefficient
from vie_scolaire.grades.selectors.entries import cell_entry

# --- The teacher's grid ------------------------------------------------------------------------


# --- A student's grades ------------------------------------------------------------------------


# --- Every average of a period (report cards, the benchmark) ----------------------------------


@dataclass
class PeriodAverages:
    """Every student's subject averages and general average for one period, in one pass."""

    # (student user id, teaching assignment id) -> subject average
    subjects: dict[tuple[int, int], SubjectAverage]
    general: dict[int, Decimal | None]


def period_averages(school: School, period: Period) -> PeriodAverages:
    """Four queries whatever the size of the school: assessments, grades, students, coefficients."""
    by_assignment: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(school=school, period=period).select_related("assignment"):
        by_assignment[assessment.assignment_id].append(assessment)
    # Plain rows, not model instances: a collège's term is tens of thousands of grades.
    grades: dict[tuple[int, int], tuple[Decimal | None, str, bool]] = {
        (assessment_id, student_id): (value, code or "", bool(as_zero))
        for assessment_id, student_id, value, code, as_zero in Grade.objects.filter(
            school=school, assessment__period=period
        ).values_list("assessment_id", "student_id", "value", "code__code", "code__counts_as_zero")
    }
    coefficients = {
        (division, subject): coefficient
        for division, subject, coefficient in SubjectCoefficient.objects.filter(school=school).values_list(
            "division", "subject", "coefficient"
        )
    }
    by_division: dict[int | None, list[list[Assessment]]] = defaultdict(list)
    for own in by_assignment.values():
        by_division[own[0].assignment.division_id].append(own)
    students = Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True).values_list(
        "user_id", "division_id"
    )
    result = PeriodAverages(subjects={}, general={})
    none: tuple[Decimal | None, str, bool] = (None, "", False)
    for student_id, division_id in students:
        weighted = []
        # The division's services, then the groups' ones where the student has a grade.
        for own in [*by_division[division_id], *by_division[None]]:
            cells = [grades.get((a.pk, student_id), none) for a in own]
            if own[0].assignment.division_id is None and cells.count(none) == len(cells):
                continue
            average = subject_average(cell_entry(a, *cell) for a, cell in zip(own, cells, strict=True))
            assignment = own[0].assignment
            result.subjects[(student_id, assignment.pk)] = average
            weight = coefficients.get((division_id, assignment.subject_id), Decimal(1))
            weighted.append(WeightedAverage(str(assignment.pk), average.value, weight))
        result.general[student_id] = general_average(weighted)
    return result


def division_coefficients(division: Any) -> list[tuple[Any, Decimal | None]]:
    """The subjects taught in a division with the coefficient set for it (None: the default, 1)."""
    subjects = {
        a.subject_id: a.subject
        for a in TeachingAssignment.objects.filter(
            Q(division=division) | Q(group__divisions=division), school=division.school_id
        ).select_related("subject")
    }
    set_for = dict(
        SubjectCoefficient.objects.filter(school=division.school_id, division=division).values_list(
            "subject", "coefficient"
        )
    )
    return [(subject, set_for.get(pk)) for pk, subject in sorted(subjects.items(), key=lambda item: item[1].name)]


def division_students(division: Division) -> list[Membership]:
    return list(
        Membership.objects.filter(school=division.school_id, division=division, profile=Profile.STUDENT, active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
