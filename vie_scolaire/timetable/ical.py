"""A timetable as an iCalendar feed, for the calendar apps people subscribe with."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from vie_scolaire.calendar.weeks import local_moment
from vie_scolaire.timetable.models import Lesson


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    # Written in UTC: every calendar app reads it without a VTIMEZONE block.
    return local_moment(day, time).astimezone(datetime.UTC)


def _summary(lesson: Lesson) -> str:
    subject = lesson.weekly_lesson.subject.name
    if lesson.cancelled:
        return _("Annulé : %(subject)s") % {"subject": subject}
    if lesson.is_changed:
        return _("Modifié : %(subject)s") % {"subject": subject}
    return subject


def _description(lesson: Lesson) -> str:
    weekly = lesson.weekly_lesson
    lines = [", ".join(teacher.get_full_name() for teacher in weekly.teachers.all())]
    audience = [division.name for division in weekly.divisions.all()] + [group.name for group in weekly.groups.all()]
    lines.append(", ".join(audience))
    if lesson.replacement_teacher is not None:
        lines.append(_("Remplacé par %(name)s") % {"name": lesson.replacement_teacher.get_full_name()})
    if lesson.change_reason:
        lines.append(_("Motif : %(reason)s") % {"reason": lesson.change_reason})
    return "\n".join(line for line in lines if line)


def timetable_calendar(*, name: str, lessons: Iterable[Lesson], host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ville de Paris//ENT//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for lesson in lessons:
        event = Event()
        # Stable across refreshes, so that an app updates the event rather than adding one.
        event.add("uid", f"lesson-{lesson.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _moment(lesson.date, lesson.start))
        event.add("dtend", _moment(lesson.date, lesson.end))
        event.add("summary", _summary(lesson))
        event.add("description", _description(lesson))
        event.add("status", "CANCELLED" if lesson.cancelled else "CONFIRMED")
        if lesson.room is not None:
            event.add("location", str(lesson.room))
        if lesson.changed_at is not None:
            event.add("last-modified", lesson.changed_at)
        calendar.add_component(event)
    return calendar.to_ical()
