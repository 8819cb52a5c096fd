"""Periods, assessments and grades in school A of the test world, on fixed dates of 2026-2027."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from schools.tenancy import school_scope
from tests.world import SchoolCast
from vie_scolaire.grades.services.grades import AssessmentData, create_assessment, record_grade
from vie_scolaire.models import Assessment, Period

TODAY = datetime.date(2026, 11, 20)


@dataclass
class Gradebook:
    cast: SchoolCast
    term: Period  # 1 September to 30 November, entry closes on 5 December
    next_term: Period
    tests: list[Assessment]  # 18/20, 3/10, 1/5 for the student: average 12.57


def build_gradebook(cast: SchoolCast) -> Gradebook:
    school = cast.school
    term = Period.unscoped.create(
        school=school,
        school_year=2026,
        name="1er trimestre",
        first_day=datetime.date(2026, 9, 1),
        last_day=datetime.date(2026, 11, 30),
        entry_closes_on=datetime.date(2026, 12, 5),
    )
    next_term = Period.unscoped.create(
        school=school,
        school_year=2026,
        name="2e trimestre",
        first_day=datetime.date(2026, 12, 1),
        last_day=datetime.date(2027, 3, 7),
    )
    tests = []
    with school_scope(school):
        for day, scale, student_grade, classmate_grade in ((2, 20, "18", "10"), (9, 10, "3", "Abs"), (16, 5, "1", "4")):
            assessment = create_assessment(
                assignment=cast.assignment,
                period=term,
                data=AssessmentData(
                    title=f"Contrôle du {day} novembre", date=datetime.date(2026, 11, day), scale=scale
                ),
                created_by=cast.teacher,
            )
            for student, raw in ((cast.student, student_grade), (cast.classmate, classmate_grade)):
                record_grade(
                    assessment=assessment, student_id=student.pk, raw=raw, seen_version=0, recorded_by=cast.teacher
                )
            tests.append(assessment)
    return Gradebook(cast=cast, term=term, next_term=next_term, tests=tests)


def later_for_parents(assessment: Assessment, day: datetime.date) -> None:
    Assessment.unscoped.filter(pk=assessment.pk).update(published_to_parents_on=day, coefficient=Decimal(1))
