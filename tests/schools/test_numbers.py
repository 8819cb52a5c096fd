"""Numbers as the pages print them: a decimal comma, half up, and a dash for none."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from schools.numbers import decimal_comma


@pytest.mark.parametrize(
    ("value", "places", "whole", "printed"),
    [
        (Decimal("12.5"), 2, False, "12,50"),
        (Decimal("12.345"), 2, False, "12,35"),  # half up, where banker's rounding would say 12,34
        (Decimal("12.344"), 2, False, "12,34"),
        (Decimal("12.00"), 2, True, "12"),
        (Decimal("0.5"), 2, True, "0,50"),
        (Decimal("20"), 2, False, "20,00"),
        (7.25, 1, False, "7,3"),
    ],
)
def test_decimal_comma(value: Decimal | float, places: int, whole: bool, printed: str) -> None:
    assert decimal_comma(value, places, whole_without_decimals=whole) == printed


def test_the_figure_filter_prints_a_dash_for_no_value() -> None:
    template = Template(
        '{% load numbers %}{{ none|figure }}|{{ half|figure }}|{{ two|figure:"-2" }}|{{ avg|figure:"-2" }}'
    )
    context = Context({"none": None, "half": Decimal("12.5"), "two": Decimal("2.00"), "avg": Decimal("12.571")})
    assert template.render(context) == "—|12,50|2|12,57"
