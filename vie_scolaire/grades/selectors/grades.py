"""Reads of the grades: the teacher's grid, a student's grades with their averages explained."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from annuaire.models import GroupMembership, Membership, Profile, TeachingAssignment
from annuaire.selectors import access_student, profiles_in
from schools.access import not_found
from schools.models import School
from vie_scolaire.calendar.models import Period
from vie_scolaire.grades.averages import (
    Spread,
    SubjectAverage,
    WeightedAverage,
    general_average,
    spread,
    subject_average,
)
from vie_scolaire.grades.models import Assessment, Grade, SubjectCoefficient
from vie_scolaire.grades.selectors.class_figures import ClassFigures, class_figures
from vie_scolaire.grades.selectors.entries import entry_of
from vie_scolaire.permissions import ENTER_GRADES

ASSIGNMENT_RELATED = ("subject", "division", "group", "teacher")


def assignment_students(assignment: TeachingAssignment) -> QuerySet[Membership]:
    """The active students a teaching service teaches: its division's, or its group's."""
    students = Membership.objects.filter(school=assignment.school_id, profile=Profile.STUDENT, active=True)
    if assignment.division_id is not None:
        return students.filter(division=assignment.division_id)
    in_group = GroupMembership.objects.filter(school=assignment.school_id, group=assignment.group_id)
    return students.filter(pk__in=in_group.values("membership"))


def teacher_assignments(user: Any, school: School) -> QuerySet[TeachingAssignment]:
    return (
        TeachingAssignment.objects.filter(school=school, teacher=user)
        .select_related(*ASSIGNMENT_RELATED)
        .order_by("subject__name", "division__name", "group__name")
    )


def school_periods(school: School, school_year: int) -> list[Period]:
    return list(Period.objects.filter(school=school, school_year=school_year).order_by("first_day"))


def current_period(periods: list[Period], today: datetime.date) -> Period | None:
    """The period holding today, else the last one begun, else the first."""
    begun = [period for period in periods if period.first_day <= today]
    holding = [period for period in begun if today <= period.last_day]
    found = holding or begun[-1:] or periods[:1]
    return found[0] if found else None


def access_assignment_to_grade(user: Any, school: School, assignment_id: int) -> TeachingAssignment:
    """A teaching service this teacher grades, or 404 whether absent, foreign or someone else's."""
    found = TeachingAssignment.objects.filter(school=school, pk=assignment_id).select_related(*ASSIGNMENT_RELATED)
    assignment = found.first()
    if assignment is None or not user.has_perm(ENTER_GRADES, assignment):
        not_found(_("Ce service n'existe pas ou vous n'y saisissez pas de notes."))
    return assignment


def access_student_grades(user: Any, school: School, student_id: int) -> Membership:
    """A student whose grades this user may read (oneself, a child, one's pupil), or 404."""
    message = _("Cet élève n'existe pas ou vous n'avez pas accès à ses notes.")
    return access_student(user, school, student_id, message=message)


def viewer_of(user: Any, membership: Membership) -> str:
    """Which publication dates apply: the student's own, a parent's, or none (teachers and staff)."""
    if profiles_in(user, membership.school_id) & {Profile.TEACHER, Profile.STAFF, Profile.DIRECTION}:
        return "staff"
    return "student" if membership.user_id == user.pk else "parent"


def access_assessment_to_grade(user: Any, school: School, assessment_id: int) -> Assessment:
    found = Assessment.objects.filter(school=school, pk=assessment_id).select_related(
        "period", *(f"assignment__{name}" for name in ASSIGNMENT_RELATED)
    )
    assessment = found.first()
    if assessment is None or not user.has_perm(ENTER_GRADES, assessment):
        not_found(_("Cette évaluation n'existe pas ou vous n'y saisissez pas de notes."))
    return assessment


# --- The teacher's grid ------------------------------------------------------------------------


def grade_text(grade: Any) -> str:
    """How a grade is typed and shown in the grid: "12,5", "Abs", or ""."""
    if grade is None:
        return ""
    if grade.code_id is not None:
        return str(grade.code.code)
    if grade.value is None:
        return ""
    return formats.number_format(grade.value.normalize(), use_l10n=True) if grade.value % 1 else str(int(grade.value))


@dataclass
class GradeGrid:
    assignment: TeachingAssignment
    period: Period
    students: list[Membership]
    assessments: list[Assessment]
    grades: dict[tuple[int, int], Grade]  # (assessment id, student user id) -> grade
    spreads: dict[int, Spread] = field(default_factory=dict)

    def columns(self) -> list[tuple[Assessment, Spread]]:
        return [(assessment, self.spreads[assessment.pk]) for assessment in self.assessments]

    def rows(self) -> list[tuple[Membership, list[tuple[Assessment, Grade | None, str]]]]:
        """Per student, each assessment with the grade and its text as typed in the grid."""
        rows = []
        for student in self.students:
            cells = []
            for assessment in self.assessments:
                grade = self.grades.get((assessment.pk, student.user_id))
                cells.append((assessment, grade, grade_text(grade)))
            rows.append((student, cells))
        return rows


def grade_grid(assignment: TeachingAssignment, period: Period) -> GradeGrid:
    """Every student of the service and every assessment of the period, in four queries."""
    students = list(
        assignment_students(assignment).select_related("user").order_by("user__last_name", "user__first_name")
    )
    assessments = list(
        Assessment.objects.filter(school=assignment.school_id, assignment=assignment, period=period).order_by(
            "date", "pk"
        )
    )
    grades = {
        (grade.assessment_id, grade.student_id): grade
        for grade in Grade.objects.filter(school=assignment.school_id, assessment__in=assessments).select_related(
            "code"
        )
    }
    grid = GradeGrid(assignment, period, students, assessments, grades)
    for assessment in assessments:
        grid.spreads[assessment.pk] = spread(
            grade.value for (assessment_id, _student), grade in grades.items() if assessment_id == assessment.pk
        )
    return grid


# --- A student's grades ------------------------------------------------------------------------


@dataclass
class AssessmentLine:
    assessment: Assessment
    grade: Grade | None
    spread: Spread

    @property
    def text(self) -> str:
        return grade_text(self.grade)


@dataclass
class SubjectGrades:
    assignment: TeachingAssignment
    lines: list[AssessmentLine]
    average: SubjectAverage
    class_spread: Spread
    coefficient: Decimal


@dataclass
class StudentGrades:
    membership: Membership
    period: Period
    subjects: list[SubjectGrades]
    general: Decimal | None
    general_spread: Spread


def published_filter(viewer: str, today: datetime.date) -> Q:
    """What a student or a parent sees: assessments published to them by today; staff see all."""
    if viewer == "student":
        return Q(published_to_students_on__lte=today)
    if viewer == "parent":
        return Q(published_to_parents_on__lte=today)
    return Q()


def student_grades(membership: Membership, period: Period, viewer: str) -> StudentGrades:
    """One student's grades of the period by subject, with averages and the class's figures.

    A fixed number of queries: the student's services, their assessments, the student's own grades,
    the class's grades (read as plain rows for the class figures, `class_figures`), the classmates
    and the subject coefficients.
    """
    school_id = membership.school_id
    assignments = list(_student_assignments(membership))
    assessments = list(
        Assessment.objects.filter(
            published_filter(viewer, timezone.localdate()), school=school_id, period=period, assignment__in=assignments
        ).order_by("date", "pk")
    )
    own_grades = {
        grade.assessment_id: grade
        for grade in Grade.objects.filter(
            school=school_id, assessment__in=assessments, student=membership.user_id
        ).select_related("code")
    }
    coefficients = dict(
        SubjectCoefficient.objects.filter(school=school_id, division=membership.division_id).values_list(
            "subject", "coefficient"
        )
    )
    classmates = _classmates(membership)
    figures = class_figures(school_id, assessments, classmates)
    subjects = []
    for assignment in assignments:
        own = [a for a in assessments if a.assignment_id == assignment.pk]
        if not own:
            continue
        lines = [AssessmentLine(a, own_grades.get(a.pk), figures.assessment_spreads[a.pk]) for a in own]
        subjects.append(
            SubjectGrades(
                assignment=assignment,
                lines=lines,
                average=subject_average(entry_of(line.assessment, line.grade) for line in lines),
                class_spread=figures.subject_spread(assignment.pk),
                coefficient=coefficients.get(assignment.subject_id, Decimal(1)),
            )
        )
    general = general_average(
        [WeightedAverage(s.assignment.subject.name, s.average.value, s.coefficient) for s in subjects]
    )
    return StudentGrades(membership, period, subjects, general, _general_spread(subjects, classmates, figures))


def _student_assignments(membership: Membership) -> QuerySet[TeachingAssignment]:
    groups = GroupMembership.objects.filter(school=membership.school_id, membership=membership).values("group")
    by_division = Q(division=membership.division_id) if membership.division_id else Q(pk__in=[])
    return (
        TeachingAssignment.objects.filter(by_division | Q(group__in=groups), school=membership.school_id)
        .select_related(*ASSIGNMENT_RELATED)
        .order_by("subject__name")
    )


def _classmates(membership: Membership) -> list[int]:
    if membership.division_id is None:
        return [membership.user_id]
    return list(
        Membership.objects.filter(
            school=membership.school_id, division=membership.division_id, profile=Profile.STUDENT, active=True
        ).values_list("user_id", flat=True)
    )


def _general_spread(subjects: list[SubjectGrades], classmates: list[int], figures: ClassFigures) -> Spread:
    """The class's general averages, each over the subjects this student takes."""
    return spread(
        general_average(
            [
                WeightedAverage(
                    s.assignment.subject.name, figures.average_of(s.assignment.pk, classmate), s.coefficient
                )
                for s in subjects
            ]
        )
        for classmate in classmates
    )


# --- Every average of a period (report cards, the benchmark) ----------------------------------
