"""Numbers as the school's pages and documents print them: a decimal comma, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def decimal_comma(value: Decimal | float, places: int = 2, *, whole_without_decimals: bool = False) -> str:
    """`value` with `places` decimals rounded half up and a decimal comma (12,57; 12,50); a whole number
    without its decimals when `whole_without_decimals` (12 rather than 12,00, as a coefficient reads)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if whole_without_decimals and rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return str(rounded).replace(".", ",")
