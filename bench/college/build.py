"""The benchmark's collège: its divisions, students and teachers in bulk, a graded term, its report cards."""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

DIVISIONS_PER_LEVEL = 6
LEVELS = ("6", "5", "4", "3")
STUDENTS_PER_DIVISION = 27  # 24 divisions: 648 students, and 8 more in the full one
# The first division is a full one: its report cards are the PDFs timed.
FULL_DIVISION = 35
SUBJECTS = 11
ASSESSMENTS_PER_SERVICE = 5


def build_college(school_year: int) -> Any:
    """One collège with its divisions, students, teachers and teaching assignments, in bulk."""
    from annuaire.models import Division, Membership, Profile, Subject, TeachingAssignment, User
    from schools.models import School

    school = School.objects.create(uai="0750999Z", name="Collège du banc d'essai", kind=School.Kind.COLLEGE)
    subjects = Subject.objects.bulk_create(
        Subject(school=school, code=f"{index:06d}", name=f"Matière {index}") for index in range(SUBJECTS)
    )
    divisions = Division.objects.bulk_create(
        Division(school=school, code=f"{level}{letter}", name=f"{level}e {letter}", school_year=school_year)
        for level in LEVELS
        for letter in "ABCDEF"[:DIVISIONS_PER_LEVEL]
    )
    teachers = User.objects.bulk_create(
        User(username=f"prof.{level}.{index}", last_name=f"Prof{level}{index}")
        for level in LEVELS
        for index in range(SUBJECTS)
    )
    seats = [(division, index) for division in divisions for index in range(STUDENTS_PER_DIVISION)]
    seats += [(divisions[0], index) for index in range(STUDENTS_PER_DIVISION, FULL_DIVISION)]
    students = User.objects.bulk_create(
        User(username=f"eleve.{division.code}.{index}", last_name=f"Eleve{index}") for division, index in seats
    )
    Membership.objects.bulk_create(
        [Membership(school=school, user=teacher, profile=Profile.TEACHER) for teacher in teachers]
        + [
            Membership(school=school, user=student, profile=Profile.STUDENT, division=division)
            for student, (division, _index) in zip(students, seats, strict=True)
        ]
    )
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(
            school=school,
            teacher=teachers[LEVELS.index(division.code[0]) * SUBJECTS + index],
            subject=subject,
            division=division,
        )
        for division in divisions
        for index, subject in enumerate(subjects)
    )
    return school


def grade_a_term(school: Any, school_year: int, rng: random.Random) -> Any:
    """Five assessments per service in the first term, every student graded (some codes)."""
    from decimal import Decimal

    from annuaire.models import Membership, Profile, TeachingAssignment
    from vie_scolaire.grades.services.grades import ensure_grade_codes
    from vie_scolaire.models import Assessment, Grade, GradeCode, Period

    term = Period.objects.create(
        school=school,
        school_year=school_year,
        name="1er trimestre",
        first_day=datetime.date(school_year, 9, 1),
        last_day=datetime.date(school_year, 11, 30),
    )
    ensure_grade_codes(school=school)
    absent = GradeCode.objects.get(school=school, code="Abs")
    students: dict[int, list[int]] = {}
    for user_id, division_id in Membership.objects.filter(school=school, profile=Profile.STUDENT).values_list(
        "user_id", "division_id"
    ):
        students.setdefault(division_id, []).append(user_id)
    assessments = Assessment.objects.bulk_create(
        Assessment(
            school=school,
            assignment=assignment,
            period=term,
            title=f"Devoir {index}",
            date=datetime.date(school_year, 10, 1 + index),
            scale=rng.choice((20, 10)),
            coefficient=Decimal(rng.choice((1, 2))),
        )
        for assignment in TeachingAssignment.objects.filter(school=school)
        for index in range(ASSESSMENTS_PER_SERVICE)
    )

    def grade(assessment: Assessment, student_id: int) -> Grade:
        if rng.random() < 0.03:
            return Grade(school=school, assessment=assessment, student_id=student_id, code=absent)
        value = Decimal(rng.randint(0, assessment.scale * 2)) / 2
        return Grade(school=school, assessment=assessment, student_id=student_id, value=value)

    Grade.objects.bulk_create(
        (
            grade(assessment, student_id)
            for assessment in assessments
            for student_id in students[assessment.assignment.division_id]
        ),
        batch_size=5000,
    )
    return term


def time_report_cards(school: Any, term: Any, requested_by: Any) -> tuple[float, int]:
    """The full division's report cards, written as the task writes them (weasyprint needs Pango)."""
    from annuaire.models import Division
    from vie_scolaire.models import ReportCardRun
    from vie_scolaire.report_cards.services import write_report_cards

    division = Division.objects.filter(school=school).order_by("pk").first()
    run = ReportCardRun.objects.create(school=school, period=term, division=division, total=FULL_DIVISION)
    started = time.perf_counter()
    done = write_report_cards(run=run)
    return time.perf_counter() - started, done.done
