"""Averages as French schools compute them, with the explanation families are shown.

Pure functions over plain values (no database): the selectors load the grades, these compute.
Every figure is a `Decimal`, computed exactly; only the display rounds, to two decimals.

Subject average of a student over a period, out of 20:
    20 × Σ(points × coefficient) / Σ(out_of × coefficient)
where an assessment counts its grade over its scale (points = grade, out_of = scale), or, when it
is "converted to /20", grade × 20 / scale over 20. A "bonus" assessment adds
(points − out_of / 2) × coefficient to the numerator when positive, nothing to the denominator.
An "optional" assessment counts only when it raises the average (the best ones first, each
kept while it still raises it). Coefficient 0 never counts; codes count as 0 (Abs0, NRdu0) or
are left out (Abs, Disp, NN, Inap, NRdu). An average never goes above 20 (a bonus cannot lift
it past the top of the scale).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from schools.numbers import decimal_comma

TWENTY = Decimal(20)
ZERO = Decimal(0)


class Counted(StrEnum):
    """Whether and why a grade entered the average (shown in the explanation)."""

    YES = "counted"
    BONUS = "bonus"
    BONUS_BELOW_HALF = "bonus_below_half"
    OPTIONAL_KEPT = "optional_kept"
    OPTIONAL_DROPPED = "optional_dropped"
    CODE_LEFT_OUT = "code_left_out"
    CODE_AS_ZERO = "code_as_zero"
    COEFFICIENT_ZERO = "coefficient_zero"
    NOT_GRADED = "not_graded"


@dataclass(frozen=True)
class GradeEntry:
    """One assessment as the average sees it, with the student's result (value or code)."""

    assessment_id: int
    title: str
    scale: int
    coefficient: Decimal
    value: Decimal | None = None
    code: str = ""
    code_counts_as_zero: bool = False
    convert_to_20: bool = False
    bonus: bool = False
    optional: bool = False

    @property
    def points(self) -> Decimal | None:
        """The grade as it enters the average (None when it does not)."""
        if self.value is not None:
            raw = self.value
        elif self.code and self.code_counts_as_zero:
            raw = ZERO
        else:
            return None
        return raw * TWENTY / self.scale if self.convert_to_20 else raw

    @property
    def out_of(self) -> Decimal:
        return TWENTY if self.convert_to_20 else Decimal(self.scale)


@dataclass(frozen=True)
class ExplainedGrade:
    entry: GradeEntry
    counted: Counted
    # What it added to the numerator and the denominator (both already multiplied by the coefficient).
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO


@dataclass(frozen=True)
class SubjectAverage:
    """A subject average with every grade's part in it; `value` is None when nothing counted."""

    value: Decimal | None
    numerator: Decimal
    denominator: Decimal
    grades: tuple[ExplainedGrade, ...] = field(default_factory=tuple)

    @property
    def display(self) -> str:
        return display(self.value)


def display(value: Decimal | None) -> str:
    """Two decimals, rounded half up, with the French decimal comma; "" for no average."""
    if value is None:
        return ""
    return decimal_comma(value)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= ZERO:
        return None
    return min(TWENTY * numerator / denominator, TWENTY)


def _classify(entry: GradeEntry) -> Counted | None:
    """The reason an entry is left out before any arithmetic, or None when it takes part."""
    if entry.value is None and not entry.code:
        return Counted.NOT_GRADED
    if entry.points is None:
        return Counted.CODE_LEFT_OUT
    if entry.coefficient <= ZERO:
        return Counted.COEFFICIENT_ZERO
    return None


def subject_average(entries: Iterable[GradeEntry]) -> SubjectAverage:
    """The average of one student's grades in one subject over a period, explained."""
    explained: dict[int, ExplainedGrade] = {}
    regular: list[GradeEntry] = []
    bonuses: list[GradeEntry] = []
    optionals: list[GradeEntry] = []
    ordered = list(entries)
    for entry in ordered:
        reason = _classify(entry)
        if reason is not None:
            explained[entry.assessment_id] = ExplainedGrade(entry, reason)
        elif entry.bonus:
            bonuses.append(entry)
        elif entry.optional:
            optionals.append(entry)
        else:
            regular.append(entry)
    numerator, denominator = ZERO, ZERO
    for entry in regular:
        part = _part(entry)
        numerator, denominator = numerator + part.numerator, denominator + part.denominator
        explained[entry.assessment_id] = part
    numerator = _add_bonuses(bonuses, numerator, explained)
    numerator, denominator = _add_optionals(optionals, numerator, denominator, explained)
    return SubjectAverage(
        value=_ratio(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        grades=tuple(explained[entry.assessment_id] for entry in ordered),
    )


def _points(entry: GradeEntry) -> Decimal:
    """The points of an entry `_classify` let through (never None there)."""
    return entry.points if entry.points is not None else ZERO


def _part(entry: GradeEntry, counted: Counted = Counted.YES) -> ExplainedGrade:
    counted = Counted.CODE_AS_ZERO if entry.value is None and counted == Counted.YES else counted
    return ExplainedGrade(entry, counted, _points(entry) * entry.coefficient, entry.out_of * entry.coefficient)


def _add_bonuses(bonuses: list[GradeEntry], numerator: Decimal, explained: dict[int, ExplainedGrade]) -> Decimal:
    for entry in bonuses:
        above_half = (_points(entry) - entry.out_of / 2) * entry.coefficient
        if above_half > ZERO:
            numerator += above_half
            explained[entry.assessment_id] = ExplainedGrade(entry, Counted.BONUS, above_half)
        else:
            explained[entry.assessment_id] = ExplainedGrade(entry, Counted.BONUS_BELOW_HALF)
    return numerator


def _add_optionals(
    optionals: list[GradeEntry], numerator: Decimal, denominator: Decimal, explained: dict[int, ExplainedGrade]
) -> tuple[Decimal, Decimal]:
    """Take the optional grades, best first, while each one raises the average."""

    for entry in sorted(optionals, key=lambda entry: _points(entry) / entry.out_of, reverse=True):
        part = _part(entry, Counted.OPTIONAL_KEPT)
        before = _ratio(numerator, denominator)
        after = _ratio(numerator + part.numerator, denominator + part.denominator)
        if after is not None and (before is None or after > before):
            numerator, denominator = numerator + part.numerator, denominator + part.denominator
            explained[entry.assessment_id] = part
        else:
            explained[entry.assessment_id] = ExplainedGrade(entry, Counted.OPTIONAL_DROPPED)
    return numerator, denominator


@dataclass(frozen=True)
class WeightedAverage:
    """A subject's average in the general average, with the subject's coefficient."""

    label: str
    average: Decimal | None
    coefficient: Decimal = Decimal(1)


def general_average(subjects: Sequence[WeightedAverage]) -> Decimal | None:
    """Subject averages weighted by their coefficients; subjects without an average are left out."""
    numerator = sum((s.average * s.coefficient for s in subjects if s.average is not None), ZERO)
    denominator = sum((s.coefficient for s in subjects if s.average is not None), ZERO)
    if denominator <= ZERO:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Spread:
    """Class average, lowest and highest of a set of figures (an assessment's grades, a subject's averages)."""

    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


def spread(values: Iterable[Decimal | None]) -> Spread:
    figures = [value for value in values if value is not None]
    if not figures:
        return Spread(None, None, None)
    return Spread(sum(figures, ZERO) / len(figures), min(figures), max(figures))
