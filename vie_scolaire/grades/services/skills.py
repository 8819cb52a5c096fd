"""Writes of the skills of the socle: the teachers' evaluations and the end-of-cycle positioning, each
one transaction; the posted levels they are read from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from annuaire.models import Division, Membership, Profile, TeachingAssignment, User
from vie_scolaire.grades.models import Assessment, CyclePositioning, SkillEvaluation, SocleComponent
from vie_scolaire.grades.selectors.grades import assignment_students

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
