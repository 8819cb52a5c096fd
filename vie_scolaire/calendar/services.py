"""Writes of the calendar: the school's year and its closures, terms and A/B weeks; the zone's holidays."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from schools.access import not_found
from schools.models import School
from schools.tasks import start_after_commit
from schools.tenancy import cross_school
from schools.years import school_year_of
from vie_scolaire.calendar.models import Holiday, Period, SchoolCalendar, WeekOverride
from vie_scolaire.calendar.selectors import access_period, year_calendar
from vie_scolaire.calendar.weeks import YearCalendar

# --- One day's changes ----------------------------------------------------------------------


# --- Calendar feeds -------------------------------------------------------------------------


# --- The school year's calendar -------------------------------------------------------------
# Every change of days or weeks regenerates the lessons from today on (the past stays as it was).

HOLIDAY_NAME_MAX_LENGTH = Holiday._meta.get_field("name").max_length or 100


# The timetable's lessons follow the calendar: whoever depends on the calendar (the timetable
# regenerates its lessons) connects here, in vie_scolaire/signals.py; the receivers run inside the
# write's transaction, so a calendar change and its lessons commit together.
calendar_changed = Signal()  # keyword arguments: school, school_year


def _calendar_changed(*, school: School, school_year: int) -> None:
    calendar_changed.send(sender=SchoolCalendar, school=school, school_year=school_year)


def _check_span(first_day: datetime.date, last_day: datetime.date, school_year: int) -> None:
    if last_day < first_day:
        raise ValidationError(_("Le dernier jour doit suivre le premier jour."))
    year_start, year_end = datetime.date(school_year, 8, 1), datetime.date(school_year + 1, 8, 31)
    if first_day < year_start or last_day > year_end:
        raise ValidationError(
            _("Les dates doivent appartenir à l'année scolaire %(first)d-%(last)d.")
            % {"first": school_year, "last": school_year + 1}
        )


@transaction.atomic
def save_calendar(
    *,
    school: School,
    school_year: int,
    first_day: datetime.date,
    last_day: datetime.date,
    afternoon_starts_at: datetime.time,
) -> SchoolCalendar:
    _check_span(first_day, last_day, school_year)
    calendar, _created = SchoolCalendar.objects.update_or_create(
        school=school,
        school_year=school_year,
        defaults={"first_day": first_day, "last_day": last_day, "afternoon_starts_at": afternoon_starts_at},
    )
    _calendar_changed(school=school, school_year=school_year)
    return calendar


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom, par exemple « Vacances de printemps »."))
    if len(name) > HOLIDAY_NAME_MAX_LENGTH:
        raise ValidationError(_("Le nom ne doit pas dépasser %(max)d caractères.") % {"max": HOLIDAY_NAME_MAX_LENGTH})
    return name


@transaction.atomic
def add_holiday(
    *, school: School, school_year: int, name: str, first_day: datetime.date, last_day: datetime.date
) -> Holiday:
    """A closure of the school itself (a bridge day, an exam centre day)."""
    _check_span(first_day, last_day, school_year)
    holiday = Holiday.objects.create(
        school=school, school_year=school_year, name=_clean_name(name), first_day=first_day, last_day=last_day
    )
    _calendar_changed(school=school, school_year=school_year)
    return holiday


@transaction.atomic
def remove_holiday(*, school: School, holiday_id: int) -> None:
    """Remove one of the school's own closures; the zone's holidays are the city's to change."""
    holiday = Holiday.objects.filter(school=school, pk=holiday_id).first()
    if holiday is None:
        not_found(_("Ces vacances n'existent pas dans l'établissement."))
    if holiday.from_city:
        raise ValidationError(_("Les vacances de la zone sont saisies par la Ville : elles ne se retirent pas ici."))
    holiday.delete()
    _calendar_changed(school=school, school_year=holiday.school_year)


@transaction.atomic
def add_period(
    *,
    school: School,
    school_year: int,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
    entry_closes_on: datetime.date | None = None,
) -> Period:
    _check_span(first_day, last_day, school_year)
    overlapping = Period.objects.filter(
        school=school, school_year=school_year, first_day__lte=last_day, last_day__gte=first_day
    ).first()
    if overlapping is not None:
        raise ValidationError(_("Cette période chevauche « %(name)s ».") % {"name": overlapping.name})
    _check_closing(first_day, entry_closes_on)
    return Period.objects.create(
        school=school,
        school_year=school_year,
        name=_clean_name(name),
        first_day=first_day,
        last_day=last_day,
        entry_closes_on=entry_closes_on,
    )


def _check_closing(first_day: datetime.date, entry_closes_on: datetime.date | None) -> None:
    if entry_closes_on is not None and entry_closes_on < first_day:
        raise ValidationError(_("La saisie des notes ne peut pas se clore avant le début de la période."))


@transaction.atomic
def set_entry_closing(*, school: School, period_id: int, entry_closes_on: datetime.date | None) -> Period:
    """Close grade entry of a period on a day, or reopen it by moving the day (the head's decision)."""
    period = access_period(school, period_id, locked=True)
    _check_closing(period.first_day, entry_closes_on)
    period.entry_closes_on = entry_closes_on
    period.save(update_fields=["entry_closes_on"])
    return period


@transaction.atomic
def remove_period(*, school: School, period_id: int) -> None:
    period = access_period(school, period_id)
    if period.assessments.exists():
        raise ValidationError(_("« %(name)s » a déjà des évaluations : elle ne se retire pas.") % {"name": period.name})
    period.delete()


@transaction.atomic
def swap_week(*, school: School, monday: datetime.date) -> str:
    """Make one week the other kind (A <-> B), or give it back its usual kind; answers the new kind."""
    school_year = school_year_of(monday + datetime.timedelta(days=4))
    calendar = year_calendar(school, school_year)
    usual = YearCalendar(first_day=calendar.first_day, last_day=calendar.last_day, holidays=calendar.holidays)
    usual_kind = usual.week_kinds().get(monday)
    if usual_kind is None:
        raise ValidationError(_("Cette semaine n'a pas de cours : son alternance ne se change pas."))
    current = calendar.week_kinds()[monday]
    new_kind = "B" if current == "A" else "A"
    WeekOverride.objects.filter(school=school, monday=monday).delete()
    if new_kind != usual_kind:
        WeekOverride.objects.create(school=school, monday=monday, kind=new_kind)
    _calendar_changed(school=school, school_year=school_year)
    return new_kind


# --- The zone's holidays, entered once by the city for every school -------------------------


def _refresh_everywhere(school_ids: list[int], school_year: int) -> None:
    for school_id in school_ids:
        start_after_commit("vie_scolaire.tasks.refresh_school_lessons", school_id, school_year)


@transaction.atomic
def add_zone_holiday(*, school_year: int, name: str, first_day: datetime.date, last_day: datetime.date) -> int:
    """Add the holiday to every school that lacks it; their lessons are regenerated in the background."""
    _check_span(first_day, last_day, school_year)
    name = _clean_name(name)
    with cross_school():
        having = set(
            Holiday.unscoped.filter(
                school_year=school_year, from_city=True, name=name, first_day=first_day, last_day=last_day
            ).values_list("school_id", flat=True)
        )
        school_ids = [pk for pk in School.objects.values_list("pk", flat=True) if pk not in having]
        Holiday.unscoped.bulk_create(
            Holiday(
                school_id=pk, school_year=school_year, name=name, first_day=first_day, last_day=last_day, from_city=True
            )
            for pk in school_ids
        )
    _refresh_everywhere(school_ids, school_year)
    return len(school_ids)


@transaction.atomic
def remove_zone_holiday(*, school_year: int, name: str, first_day: datetime.date, last_day: datetime.date) -> int:
    with cross_school():
        holidays = Holiday.unscoped.filter(
            school_year=school_year, from_city=True, name=name, first_day=first_day, last_day=last_day
        )
        school_ids = list(holidays.values_list("school_id", flat=True))
        holidays.delete()
    if not school_ids:
        not_found(_("Ces vacances n'existent pas."))
    _refresh_everywhere(school_ids, school_year)
    return len(school_ids)


# --- The slot grid and the rooms ------------------------------------------------------------
