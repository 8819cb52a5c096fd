"""The class's figures beside a student's grades: each assessment's spread, each classmate's subject averages.

Every student of a division and each of their parents read the same figures, and computing them runs every
grade of the class (some 1,500 a term) through the averages' rules: the costliest part of the grades page.
They are kept in the cache under a key made of everything they are computed from (the assessments this
audience sees, the classmates, and each grade's value and code as read in the same request), so that any
change gives another key: nothing to invalidate, and nothing stale is ever shown.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from vie_scolaire.grades.averages import GradeEntry, Spread, spread, subject_average
from vie_scolaire.grades.models import Assessment, Grade
from vie_scolaire.grades.selectors.entries import cell_entry

KEY_PREFIX = "grades.class-figures.v1"
# Figures for a key never change; the time only bounds what an old key keeps in the cache.
TIMEOUT = 6 * 3600

# (assessment id, student id, value, code, code counts as zero)
GradeRow = tuple[int, int, Decimal | None, str | None, bool | None]


@dataclass(frozen=True)
class ClassFigures:
    assessment_spreads: dict[int, Spread]
    # teaching service -> classmate -> that classmate's average in it (None: nothing counted)
    subject_averages: dict[int, dict[int, Decimal | None]]

    def subject_spread(self, assignment_id: int) -> Spread:
        return spread(self.subject_averages.get(assignment_id, {}).values())

    def average_of(self, assignment_id: int, classmate: int) -> Decimal | None:
        return self.subject_averages.get(assignment_id, {}).get(classmate)


def class_figures(school_id: int, assessments: Sequence[Assessment], classmates: Sequence[int]) -> ClassFigures:
    """The figures of these assessments for these classmates: one read of the grades, computed once per change."""
    rows: list[GradeRow] = list(
        Grade.objects.filter(school=school_id, assessment__in=[a.pk for a in assessments])
        .order_by("assessment_id", "student_id")
        .values_list("assessment_id", "student_id", "value", "code__code", "code__counts_as_zero")
    )
    key = _key(assessments, classmates, rows)
    found = cache.get(key)
    if found is None:
        found = _compute(assessments, classmates, rows)
        cache.set(key, found, TIMEOUT)
    return found


def _key(assessments: Sequence[Assessment], classmates: Sequence[int], rows: list[GradeRow]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for assessment in assessments:
        digest.update(repr(_rules_of(assessment)).encode())
    digest.update(repr(sorted(classmates)).encode())
    digest.update(repr(rows).encode())
    return f"{KEY_PREFIX}:{digest.hexdigest()}"


def _rules_of(assessment: Assessment) -> tuple[object, ...]:
    """What of an assessment the figures depend on."""
    return (
        assessment.pk,
        assessment.assignment_id,
        assessment.scale,
        assessment.coefficient,
        assessment.convert_to_20,
        assessment.bonus,
        assessment.optional,
    )


def _compute(assessments: Sequence[Assessment], classmates: Sequence[int], rows: list[GradeRow]) -> ClassFigures:
    results: dict[int, dict[int, GradeRow]] = defaultdict(dict)  # assessment -> student -> row
    for row in rows:
        results[row[0]][row[1]] = row
    by_assignment: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_assignment[assessment.assignment_id].append(assessment)
    averages = {
        assignment_id: {
            classmate: subject_average(_entry(a, results[a.pk].get(classmate)) for a in own).value
            for classmate in classmates
        }
        for assignment_id, own in by_assignment.items()
    }
    spreads = {a.pk: spread(row[2] for row in results[a.pk].values()) for a in assessments}
    return ClassFigures(assessment_spreads=spreads, subject_averages=averages)


def _entry(assessment: Assessment, row: GradeRow | None) -> GradeEntry:
    if row is None:
        return cell_entry(assessment, None, "", False)
    return cell_entry(assessment, row[2], row[3] or "", bool(row[4]))
