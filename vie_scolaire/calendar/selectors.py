"""Reads of the calendar: a school's year, its days and A/B weeks; the zone's holidays."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from schools.access import not_found
from schools.models import School
from schools.tenancy import cross_school
from vie_scolaire.calendar.models import Holiday, Period, SchoolCalendar, WeekOverride
from vie_scolaire.calendar.weeks import YearCalendar, days_between


def default_calendar(school_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of lessons when the school has not entered its own (Paris, usual)."""
    return datetime.date(school_year, 9, 1), datetime.date(school_year + 1, 7, 3)


def access_period(school: School, period_id: int, *, locked: bool = False) -> Period:
    """One of the school's periods (locked for the caller's transaction when it changes it); 404 otherwise,
    so another school's id reveals nothing."""
    periods = Period.objects.select_for_update() if locked else Period.objects
    period = periods.filter(school=school, pk=period_id).first()
    if period is None:
        not_found(_("Cette période n'existe pas dans l'établissement."))
    return period


def calendar_of(school: School, school_year: int) -> SchoolCalendar:
    """The school's calendar for the year, or an unsaved default one."""
    found = SchoolCalendar.objects.filter(school=school, school_year=school_year).first()
    if found is not None:
        return found
    first_day, last_day = default_calendar(school_year)
    return SchoolCalendar(school=school, school_year=school_year, first_day=first_day, last_day=last_day)


def year_calendar(school: School, school_year: int) -> YearCalendar:
    """The year's days and A/B weeks, in three queries."""
    calendar = calendar_of(school, school_year)
    holidays: set[datetime.date] = set()
    for first_day, last_day in Holiday.objects.filter(school=school, school_year=school_year).values_list(
        "first_day", "last_day"
    ):
        holidays.update(days_between(first_day, last_day))
    overrides = dict(
        WeekOverride.objects.filter(
            school=school, monday__range=(calendar.first_day - datetime.timedelta(days=6), calendar.last_day)
        ).values_list("monday", "kind")
    )
    return YearCalendar(
        first_day=calendar.first_day, last_day=calendar.last_day, holidays=frozenset(holidays), overrides=overrides
    )


# --- Timetables: whose lessons, in which week -----------------------------------------------


# --- The calendar's administration -----------------------------------------------------------


def zone_holidays(school_year: int) -> list[dict[str, Any]]:
    """The city's holidays of the year, with how many schools carry each."""
    with cross_school():
        rows = (
            Holiday.unscoped.filter(school_year=school_year, from_city=True)
            .values("name", "first_day", "last_day")
            .annotate(schools=Count("school"))
            .order_by("first_day", "name")
        )
        return list(rows)
