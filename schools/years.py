"""School years, named by their September: the directory and the timetable count them the same way."""

from __future__ import annotations

import datetime


def school_year_of(day: datetime.date) -> int:
    """The school year a date belongs to, named by its September (the rentrée)."""
    return day.year if day.month >= 8 else day.year - 1
