"""`{{ value|figure }}`: a grade, an average or a coefficient as the pages print them (schools.numbers)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from schools.numbers import decimal_comma

register = template.Library()

NONE = "—"


@register.filter
def figure(value: Decimal | float | None, places: str = "2") -> str:
    """Two decimals (`"-2"`: none for a whole number); "—" when there is no value, where Django's
    floatformat would print nothing."""
    if value is None or value == "":
        return NONE
    return decimal_comma(value, abs(int(places)), whole_without_decimals=places.startswith("-"))
