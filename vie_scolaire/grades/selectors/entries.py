"""An assessment and one student's result in it, as the averages' rules read them."""

from __future__ import annotations

from decimal import Decimal

from vie_scolaire.grades.averages import GradeEntry
from vie_scolaire.grades.models import Assessment, Grade


def entry_of(assessment: Assessment, grade: Grade | None) -> GradeEntry:
    code = grade.code if grade is not None else None
    return cell_entry(
        assessment,
        grade.value if grade is not None else None,
        code.code if code is not None else "",
        code.counts_as_zero if code is not None else False,
    )


def cell_entry(assessment: Assessment, value: Decimal | None, code: str, counts_as_zero: bool) -> GradeEntry:
    return GradeEntry(
        assessment_id=assessment.pk,
        title=assessment.title,
        scale=assessment.scale,
        coefficient=assessment.coefficient,
        value=value,
        code=code,
        code_counts_as_zero=counts_as_zero,
        convert_to_20=assessment.convert_to_20,
        bonus=assessment.bonus,
        optional=assessment.optional,
    )
