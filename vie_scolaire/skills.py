"""Skills of the socle: the teachers' evaluations, the end-of-cycle positioning, a student's record.

Reads and writes together: the module is small, and each write is one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from annuaire.models import Division, Membership, Profile, TeachingAssignment, User
from vie_scolaire.models import Assessment, CyclePositioning, SkillEvaluation, SkillLevel, SocleComponent
from vie_scolaire.selectors_grades import assignment_students

Levels = dict[tuple[int, str], int | None]  # (student user id, component code) -> level, None to clear


def _check(levels: Levels, students: set[int], allowed: range) -> None:
    for (student_id, component), level in levels.items():
        if student_id not in students:
            raise ValidationError(_("Un des élèves ne suit pas ce service."))
        if component not in SocleComponent.values:
            raise ValidationError(_("Composante du socle inconnue."))
        if level is not None and level not in allowed:
            raise ValidationError(_("Niveau inconnu."))


@transaction.atomic
def record_skills(
    *, assignment: TeachingAssignment, assessment: Assessment | None, levels: Levels, recorded_by: User
) -> int:
    """The teacher's levels: for an assessment they replace that assessment's; alone, they add
    the day's evaluations. Answers how many evaluations were written."""
    if assessment is not None and assessment.assignment_id != assignment.pk:
        raise ValidationError(_("Cette évaluation n'appartient pas à ce service."))
    _check(levels, set(assignment_students(assignment).values_list("user_id", flat=True)), range(1, 5))
    written = 0
    if assessment is not None:
        existing = {
            (e.student_id, e.component): e
            for e in SkillEvaluation.objects.filter(assessment=assessment, student__in={s for s, _c in levels})
        }
        for key, level in levels.items():
            current = existing.get(key)
            if level is None:
                if current is not None:
                    current.delete()
                    written += 1
            elif current is None or current.level != level:
                SkillEvaluation.objects.update_or_create(
                    school_id=assignment.school_id,
                    assessment=assessment,
                    student_id=key[0],
                    component=key[1],
                    defaults={"level": level, "teacher": recorded_by, "date": assessment.date},
                )
                written += 1
        return written
    new = [
        SkillEvaluation(
            school_id=assignment.school_id, student_id=student_id, component=component, level=level, teacher=recorded_by
        )
        for (student_id, component), level in levels.items()
        if level is not None
    ]
    SkillEvaluation.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def set_positioning(*, division: Division, school_year: int, levels: Levels, set_by: User) -> int:
    """The end-of-cycle positioning of the division's students (0: exempt, 1 to 4)."""
    students = set(
        Membership.objects.filter(
            school=division.school_id, division=division, profile=Profile.STUDENT, active=True
        ).values_list("user_id", flat=True)
    )
    _check(levels, students, range(0, 5))
    written = 0
    for (student_id, component), level in levels.items():
        if level is None:
            written += CyclePositioning.objects.filter(
                student_id=student_id, school_year=school_year, component=component
            ).delete()[0]
            continue
        CyclePositioning.objects.update_or_create(
            school_id=division.school_id,
            student_id=student_id,
            school_year=school_year,
            component=component,
            defaults={"level": level, "updated_by": set_by},
        )
        written += 1
    return written


def grid_levels(assessment: Assessment | None, students: list[int]) -> dict[tuple[int, str], int]:
    """The levels an assessment already gave (empty for evaluations on their own)."""
    if assessment is None:
        return {}
    rows = SkillEvaluation.objects.filter(assessment=assessment, student__in=students)
    return {(e.student_id, e.component): e.level for e in rows}


def positioning_levels(division: Division, school_year: int, students: list[int]) -> dict[tuple[int, str], int]:
    rows = CyclePositioning.objects.filter(school=division.school_id, school_year=school_year, student__in=students)
    return {(p.student_id, p.component): p.level for p in rows}


@dataclass
class ComponentRecord:
    component: SocleComponent
    levels: list[SkillEvaluation] = field(default_factory=list)
    positioning: int | None = None

    @property
    def latest(self) -> str:
        return str(SkillLevel(self.levels[-1].level).label) if self.levels else ""


def student_skills(
    membership: Membership, school_year: int, since: datetime.date | None = None
) -> list[ComponentRecord]:
    """A student's evaluations per component of the socle (oldest first) and their positioning; two queries."""
    since = since or datetime.date(school_year, 8, 1)
    records = {code: ComponentRecord(SocleComponent(code)) for code in SocleComponent.values}
    evaluations = SkillEvaluation.objects.filter(
        school=membership.school_id, student=membership.user_id, date__gte=since
    ).order_by("date", "pk")
    for evaluation in evaluations:
        records[evaluation.component].levels.append(evaluation)
    positions = CyclePositioning.objects.filter(
        school=membership.school_id, student=membership.user_id, school_year=school_year
    ).values_list("component", "level")
    for component, level in positions:
        records[component].positioning = level
    return list(records.values())


def posted_levels(data: dict[str, str]) -> Levels:
    """`level-<student>-<component>` fields: "" clears, a digit sets; other fields are ignored.

    A student or component the page did not offer is refused by the write, not dropped here.
    """
    levels: Levels = {}
    for name, value in data.items():
        head, _dash, rest = name.partition("-")
        student, _dash, component = rest.partition("-")
        if head != "level" or not student.isdigit() or len(student) > 18:
            continue
        if value == "":
            levels[(int(student), component)] = None
        elif value.isdigit() and len(value) == 1:
            levels[(int(student), component)] = int(value)
        else:
            raise ValidationError(_("Niveau inconnu."))
    return levels
