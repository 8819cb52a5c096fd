"""What a new school gets from vie scolaire the moment it exists, whoever creates it (import, console, tests);
the lessons that follow a change of the calendar; the roll calls marked on the timetable's week.

The hooks of the lower sub-domains (calendar_changed, week_shown) are connected here, so that the
sub-domains above them act without the lower ones importing them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.attendance.selectors.roll_call import mark_open_roll_calls
from vie_scolaire.attendance.services.office import ensure_absence_reasons
from vie_scolaire.calendar.services import calendar_changed
from vie_scolaire.timetable.selectors import Week, week_shown
from vie_scolaire.timetable.services import refresh_lessons


@receiver(post_save, sender=School, dispatch_uid="vie_scolaire.default_absence_reasons")
def give_default_reasons(sender: type[School], instance: School, created: bool, raw: bool, **kwargs: Any) -> None:
    if created and not raw:
        with school_scope(instance):
            ensure_absence_reasons(school=instance)


@receiver(calendar_changed, dispatch_uid="vie_scolaire.lessons_follow_the_calendar")
def lessons_follow_the_calendar(sender: type, school: School, school_year: int, **kwargs: Any) -> None:
    refresh_lessons(school=school, school_year=school_year)


@receiver(week_shown, dispatch_uid="vie_scolaire.roll_calls_on_the_week")
def roll_calls_on_the_week(sender: type, week: Week, user: Any, school: School, **kwargs: Any) -> None:
    mark_open_roll_calls(week=week, user=user, school=school)
