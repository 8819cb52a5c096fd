"""What a new school gets from vie scolaire the moment it exists, whoever creates it (import, console, tests);
and the lessons that follow a change of the calendar."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.attendance.services.office import ensure_absence_reasons
from vie_scolaire.calendar.services import calendar_changed
from vie_scolaire.timetable.services import refresh_lessons


@receiver(post_save, sender=School, dispatch_uid="vie_scolaire.default_absence_reasons")
def give_default_reasons(sender: type[School], instance: School, created: bool, raw: bool, **kwargs: Any) -> None:
    if created and not raw:
        with school_scope(instance):
            ensure_absence_reasons(school=instance)


@receiver(calendar_changed, dispatch_uid="vie_scolaire.lessons_follow_the_calendar")
def lessons_follow_the_calendar(sender: type, school: School, school_year: int, **kwargs: Any) -> None:
    refresh_lessons(school=school, school_year=school_year)
