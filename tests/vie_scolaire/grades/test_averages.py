"""The averages' formulas on hand-computed cases: conversion, bonus, optional, codes, coefficients."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vie_scolaire.grades.averages import (
    Counted,
    GradeEntry,
    WeightedAverage,
    display,
    general_average,
    spread,
    subject_average,
)

D = Decimal
_ids = iter(range(1, 10_000))


def grade(value: str | None, scale: int = 20, coefficient: str = "1", code: str = "", **flags: bool) -> GradeEntry:
    return GradeEntry(
        assessment_id=next(_ids),
        title="Devoir",
        scale=scale,
        coefficient=D(coefficient),
        value=None if value is None else D(value),
        code=code,
        code_counts_as_zero=code in ("Abs0", "NRdu0"),
        **flags,
    )


def average(*entries: GradeEntry) -> str:
    return subject_average(entries).display


def test_the_issues_example_both_ways() -> None:
    assert average(grade("18"), grade("3", 10), grade("1", 5)) == "12,57"  # 20 × 22 / 35
    converted = {"convert_to_20": True}
    assert average(grade("18", **converted), grade("3", 10, **converted), grade("1", 5, **converted)) == "9,33"


def test_a_converted_grade_among_plain_ones() -> None:
    # 15/20 plain, 4/5 converted to 16/20: 20 × (15 + 16) / (20 + 20)
    assert average(grade("15"), grade("4", 5, convert_to_20=True)) == "15,50"


def test_decimal_coefficients_and_coefficient_zero() -> None:
    assert average(grade("15", coefficient="0.5"), grade("10", coefficient="2")) == "11,00"  # 20 × 27.5 / 50
    result = subject_average([grade("5", coefficient="0"), grade("15")])
    assert result.display == "15,00"
    assert result.grades[0].counted == Counted.COEFFICIENT_ZERO


@pytest.mark.parametrize("code", ["Abs", "Disp", "NN", "Inap", "NRdu"])
def test_codes_left_out_of_the_average(code: str) -> None:
    result = subject_average([grade("12"), grade(None, code=code)])
    assert result.display == "12,00"
    assert result.grades[1].counted == Counted.CODE_LEFT_OUT


@pytest.mark.parametrize("code", ["Abs0", "NRdu0"])
def test_codes_that_count_as_zero(code: str) -> None:
    result = subject_average([grade("12"), grade(None, code=code)])
    assert result.display == "6,00"
    assert result.grades[1].counted == Counted.CODE_AS_ZERO


def test_a_bonus_adds_only_the_points_above_half_to_the_numerator() -> None:
    assert average(grade("10"), grade("16", bonus=True)) == "16,00"  # 20 × (10 + 6) / 20
    below = subject_average([grade("10"), grade("8", bonus=True)])
    assert below.display == "10,00" and below.grades[1].counted == Counted.BONUS_BELOW_HALF
    # Coefficient 2 doubles the bonus; a bonus alone makes no average (nothing below the line).
    assert average(grade("10"), grade("13", coefficient="2", bonus=True)) == "16,00"  # 20 × (10 + 6) / 20
    assert average(grade("16", bonus=True)) == ""


def test_an_average_never_goes_above_twenty() -> None:
    assert average(grade("20"), grade("20", bonus=True)) == "20,00"


def test_optional_grades_count_only_when_they_raise_the_average() -> None:
    assert average(grade("10"), grade("14", optional=True)) == "12,00"
    dropped = subject_average([grade("10"), grade("6", optional=True)])
    assert dropped.display == "10,00" and dropped.grades[1].counted == Counted.OPTIONAL_DROPPED
    # The best first: 18 raises 10 to 14; 12 would then lower it to 13.33, so it is left out.
    two = subject_average([grade("10"), grade("12", optional=True), grade("18", optional=True)])
    assert two.display == "14,00"
    assert [g.counted for g in two.grades] == [Counted.YES, Counted.OPTIONAL_DROPPED, Counted.OPTIONAL_KEPT]
    # Alone, an optional grade makes the average.
    assert average(grade("7", optional=True)) == "7,00"


def test_empty_periods_and_ungraded_assessments_give_no_average() -> None:
    assert subject_average([]).value is None
    only_absent = subject_average([grade(None, code="Abs"), grade(None)])
    assert only_absent.value is None
    assert only_absent.grades[1].counted == Counted.NOT_GRADED


def test_the_explanation_carries_each_grades_share() -> None:
    result = subject_average([grade("18"), grade("3", 10, coefficient="2")])
    assert [(g.numerator, g.denominator) for g in result.grades] == [(D(18), D(20)), (D(6), D(20))]
    assert (result.numerator, result.denominator) == (D(24), D(40))
    assert result.value == D(12)


def test_general_average_weights_subjects_and_skips_those_without_average() -> None:
    subjects = [
        WeightedAverage("Mathématiques", D(12), D(3)),
        WeightedAverage("Français", D(15), D(1)),
        WeightedAverage("Arts plastiques", None, D(2)),
    ]
    assert display(general_average(subjects)) == "12,75"
    assert general_average([WeightedAverage("Arts", None)]) is None


def test_class_average_minimum_and_maximum() -> None:
    figures = spread([D(8), None, D(12), D("15.5")])
    assert (display(figures.average), figures.minimum, figures.maximum) == ("11,83", D(8), D("15.5"))
    assert spread([None]).average is None


def test_display_rounds_half_up() -> None:
    assert display(D("12.345")) == "12,35"
    assert display(D("9.3333333")) == "9,33"
