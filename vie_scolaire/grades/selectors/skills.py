"""Reads of the skills of the socle: the levels of a grid, a division's positioning, a student's record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from annuaire.models import Division, Membership
from vie_scolaire.grades.models import Assessment, CyclePositioning, SkillEvaluation, SkillLevel, SocleComponent


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
