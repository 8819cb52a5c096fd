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
    from vie_scolaire.models import Period

    term = Period.objects.create(
        school=school,
        school_year=school_year,
        name="1er trimestre",
        first_day=datetime.date(school_year, 9, 1),
        last_day=datetime.date(school_year, 11, 30),
    )
    first = datetime.date(school_year, 10, 1)
    grade_services(school, term, rng, dates=(first, first + datetime.timedelta(days=ASSESSMENTS_PER_SERVICE)))
    return term


def service_students(school: Any) -> dict[int, list[int]]:
    """The active students of each teaching service: its division's, or its group's."""
    from annuaire.models import GroupMembership, Membership, Profile, TeachingAssignment

    by_division: dict[int, list[int]] = {}
    for user_id, division_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, active=True, division__isnull=False
    ).values_list("user_id", "division_id"):
        by_division.setdefault(division_id, []).append(user_id)
    by_group: dict[int, list[int]] = {}
    for group_id, user_id in GroupMembership.objects.filter(school=school, membership__active=True).values_list(
        "group_id", "membership__user_id"
    ):
        by_group.setdefault(group_id, []).append(user_id)
    return {
        pk: by_division.get(division_id, []) if division_id else by_group.get(group_id, [])
        for pk, division_id, group_id in TeachingAssignment.objects.filter(school=school).values_list(
            "pk", "division_id", "group_id"
        )
    }


def grade_services(
    school: Any,
    term: Any,
    rng: random.Random,
    *,
    per_service: int = ASSESSMENTS_PER_SERVICE,
    dates: tuple[datetime.date, datetime.date],
    published: bool = False,
) -> tuple[int, int]:
    """`per_service` assessments for every teaching service in the term, dated evenly from `dates[0]` up to
    `dates[1]`, and every student of the service graded (3 % absent). Plain rows through COPY
    (`schools.bulk`), as the big writes of the portal go: the Paris-scale dataset writes 3 million.

    `published`: visible to students and parents from their date, and the families already told (the
    sweep that tells them has nothing left to do). Answers (assessments, grades) written."""
    from decimal import Decimal

    from django.utils import timezone

    from annuaire.models import TeachingAssignment
    from schools.bulk import Row, insert_rows
    from vie_scolaire.grades.services.grades import ensure_grade_codes
    from vie_scolaire.models import Assessment, Grade, GradeCode

    ensure_grade_codes(school=school)
    absent = GradeCode.objects.get(school=school, code="Abs").pk
    students = service_students(school)
    teachers = dict(TeachingAssignment.objects.filter(school=school).values_list("pk", "teacher_id"))
    first, last = dates
    step = (last - first) / per_service
    told = timezone.now() if published else None
    columns = (
        "school_id", "assignment_id", "period_id", "title", "date", "scale", "coefficient", "created_by_id",
        "published_to_students_on", "published_to_parents_on", "students_told_at", "parents_told_at",
    )  # fmt: skip
    rows = []
    for assignment_id in students:
        for index in range(per_service):
            day = first + step * index + datetime.timedelta(days=rng.randint(0, max(step.days - 1, 0)))
            shown = day if published else None
            rows.append(
                (
                    school.pk, assignment_id, term.pk, f"Devoir {index + 1}", day, rng.choice((20, 20, 10)),
                    Decimal(rng.choice((1, 1, 2))), teachers[assignment_id], shown, shown, told, told,
                )
            )  # fmt: skip
    assessments = insert_rows(Assessment, columns, rows, returning=("id", "assignment_id", "scale"))
    version = 1 if published else 0
    grades: list[Row] = []
    for assessment_id, assignment_id, scale in assessments:
        for student_id in students[assignment_id]:
            if rng.random() < 0.03:
                grades.append((school.pk, assessment_id, student_id, None, absent, version, version))
            else:
                value = Decimal(rng.randint(0, scale * 2)) / 2
                grades.append((school.pk, assessment_id, student_id, value, None, version, version))
    grade_columns = (
        "school_id", "assessment_id", "student_id", "value", "code_id", "students_told_version",
        "parents_told_version",
    )  # fmt: skip
    insert_rows(Grade, grade_columns, grades)
    return len(assessments), len(grades)


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
