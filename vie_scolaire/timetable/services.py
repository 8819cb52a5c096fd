"""Writes of the timetable: lesson generation, one day's changes, calendar feeds."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import Membership, Profile, User
from annuaire.selectors import hash_key
from annuaire.services.tokens import revoke_key
from communication.notifications.services.notices import notify
from communication.notifications.texts import Text
from schools.access import not_found
from schools.bulk import insert_rows
from schools.models import School
from schools.years import school_year_of
from vie_scolaire.calendar.selectors import year_calendar
from vie_scolaire.calendar.weeks import lesson_dates
from vie_scolaire.timetable.models import CalendarFeed, Lesson, Room, TimeSlot, WeeklyLesson
from vie_scolaire.timetable.selectors import concerned_people, feed_audience, week_url

BATCH = 2000
OCCURRENCE_COLUMNS = ("school_id", "weekly_lesson_id", "scheduled_date", "date", "start", "end", "room_id")


@dataclass
class GenerationResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


@transaction.atomic
def generate_lessons(
    *,
    school: School,
    school_year: int,
    weekly_lessons: Iterable[WeeklyLesson] | None = None,
    from_day: datetime.date | None = None,
    until_day: datetime.date | None = None,
) -> GenerationResult:
    """Bring the dated lessons of the weekly pattern in line with it, from `from_day` on (up to
    `until_day` when given: one term of a timetable rather than the whole year).

    Lessons before `from_day` are history and stay as they are, and so do those after `until_day`.
    The others are created, moved to the pattern's time and room, or deleted when the pattern no
    longer has them; an occurrence a person changed (cancelled, moved, replaced) keeps that change.
    """
    from_day = from_day or datetime.date.min
    until_day = until_day or datetime.date.max
    calendar = year_calendar(school, school_year)
    kinds = calendar.week_kinds()
    if weekly_lessons is None:
        weekly_lessons = WeeklyLesson.objects.filter(school=school, school_year=school_year)
    weekly_by_id = {weekly.pk: weekly for weekly in weekly_lessons}
    existing: dict[tuple[int, datetime.date], Lesson] = {
        (lesson.weekly_lesson_id, lesson.scheduled_date): lesson
        for lesson in Lesson.objects.filter(
            school=school,
            weekly_lesson_id__in=list(weekly_by_id),
            scheduled_date__range=(from_day, until_day),
        )
    }
    result = GenerationResult()
    to_create: list[tuple[object, ...]] = []
    to_update: list[Lesson] = []
    for weekly in weekly_by_id.values():
        dates = lesson_dates(
            calendar=calendar, weekday=weekly.weekday, week_pattern=weekly.week_pattern, weeks=weekly.weeks, kinds=kinds
        )
        for day in dates:
            if not from_day <= day <= until_day or (weekly.retired_from is not None and day >= weekly.retired_from):
                continue
            lesson = existing.pop((weekly.pk, day), None)
            if lesson is None:
                to_create.append((weekly.school_id, weekly.pk, day, day, weekly.start, weekly.end, weekly.room_id))
            elif not lesson.is_changed and _follow_pattern(lesson, weekly):
                to_update.append(lesson)
    # Plain rows, not model instances: a collège's year is some 35,000 lessons.
    insert_rows(Lesson, OCCURRENCE_COLUMNS, to_create)
    Lesson.objects.bulk_update(to_update, ["start", "end", "room"], batch_size=BATCH)
    stale = [lesson.pk for lesson in existing.values()]
    for index in range(0, len(stale), BATCH):
        Lesson.objects.filter(school=school, pk__in=stale[index : index + BATCH]).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    return result


def _follow_pattern(lesson: Lesson, weekly: WeeklyLesson) -> bool:
    """Give an unchanged occurrence the pattern's time and room; answers whether it moved."""
    if (lesson.start, lesson.end, lesson.room_id) == (weekly.start, weekly.end, weekly.room_id):
        return False
    lesson.start, lesson.end, lesson.room_id = weekly.start, weekly.end, weekly.room_id
    return True


# --- One day's changes ----------------------------------------------------------------------


@dataclass(frozen=True)
class LessonChange:
    """What a person with the right changes in one lesson; unchanged fields keep the lesson's value."""

    reason: str
    cancelled: bool = False
    date: datetime.date | None = None
    start: datetime.time | None = None
    end: datetime.time | None = None
    room: Room | None = None
    replacement_teacher: User | None = None


REASON_MAX_LENGTH = Lesson._meta.get_field("change_reason").max_length or 200


@transaction.atomic
def change_lesson(*, lesson: Lesson, change: LessonChange, changed_by: User) -> Lesson:
    """Cancel, move, change the room or the teacher of one lesson, and tell everyone concerned."""
    reason = change.reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du changement : il est montré aux élèves et aux familles."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(_("Le motif ne doit pas dépasser %(max)d caractères.") % {"max": REASON_MAX_LENGTH})
    date, start, end = change.date or lesson.date, change.start or lesson.start, change.end or lesson.end
    if start >= end:
        raise ValidationError(_("L'heure de fin doit suivre l'heure de début."))
    calendar = year_calendar(lesson.school, school_year_of(lesson.scheduled_date))
    if date != lesson.date and not calendar.is_school_day(date):
        raise ValidationError(_("Le %(date)s n'est pas un jour de cours.") % {"date": formats.date_format(date)})
    _check_same_school(lesson, change)
    lesson.cancelled = change.cancelled
    lesson.date, lesson.start, lesson.end = date, start, end
    lesson.room = change.room or lesson.room
    lesson.replacement_teacher = change.replacement_teacher
    lesson.change_reason = reason
    lesson.changed_at = timezone.now()
    lesson.changed_by = changed_by
    lesson.save()
    _notify_change(lesson)
    return lesson


def _check_same_school(lesson: Lesson, change: LessonChange) -> None:
    """A room or a teacher of another school is refused (a forged id in the form)."""
    if change.room is not None and change.room.school_id != lesson.school_id:
        raise ValidationError(_("Cette salle n'existe pas dans l'établissement."))
    teacher = change.replacement_teacher
    if (
        teacher is not None
        and not Membership.objects.filter(
            school=lesson.school, user=teacher, profile=Profile.TEACHER, active=True
        ).exists()
    ):
        raise ValidationError(_("Ce remplaçant n'est pas un enseignant de l'établissement."))


@transaction.atomic
def restore_lesson(*, lesson: Lesson, restored_by: User) -> Lesson:
    """Undo a lesson's change: it takes place again as the weekly pattern says."""
    weekly = lesson.weekly_lesson
    was_changed = lesson.is_changed
    lesson.cancelled = False
    lesson.date, lesson.start, lesson.end, lesson.room = lesson.scheduled_date, weekly.start, weekly.end, weekly.room
    lesson.replacement_teacher = None
    lesson.change_reason, lesson.changed_at, lesson.changed_by = "", None, None
    lesson.save()
    if was_changed:
        _notify_change(lesson, restored=True)
    return lesson


def _notify_change(lesson: Lesson, *, restored: bool = False) -> None:
    if restored:
        message = gettext_noop("%(subject)s du %(date)s : le cours a lieu comme prévu")
    elif lesson.cancelled:
        message = gettext_noop("%(subject)s du %(date)s : cours annulé")
    else:
        message = gettext_noop("%(subject)s du %(date)s : cours modifié")
    title = Text(message, subject=lesson.weekly_lesson.subject.name, date=lesson.scheduled_date)
    url = week_url(lesson.school, lesson.date)
    notify(
        school=lesson.school,
        recipients=concerned_people(lesson),
        kind="timetable.changed",
        title=title,
        body=lesson.change_reason,
        url=url,
    )


# --- Calendar feeds -------------------------------------------------------------------------

FEED_PREFIX_LENGTH = 8
MAX_ACTIVE_FEEDS = 10


@transaction.atomic
def create_calendar_feed(*, school: School, owner: User, student: User | None = None) -> tuple[CalendarFeed, str]:
    """A new secret address of the owner's timetable (or one child's); returns it and its clear key."""
    if CalendarFeed.objects.filter(school=school, owner=owner, revoked_at=None).count() >= MAX_ACTIVE_FEEDS:
        raise ValidationError(
            _("Vous avez déjà %(max)d adresses d'agenda actives : révoquez-en une avant d'en créer une autre.")
            % {"max": MAX_ACTIVE_FEEDS}
        )
    key = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        school=school, owner=owner, student=student, key_hash=hash_key(key), prefix=key[:FEED_PREFIX_LENGTH]
    )
    # The rule that serves a feed decides whether it may exist: one place answers both.
    if feed_audience(feed) is None:
        raise ValidationError(
            _("Vous n'avez pas d'emploi du temps personnel ici : choisissez l'enfant dont vous voulez l'agenda.")
        )
    feed.save()
    return feed, key


@transaction.atomic
def revoke_calendar_feed(*, school: School, owner: User, feed_id: int) -> CalendarFeed:
    """Revoke one of the owner's addresses: calendar apps get "not found" from then on."""
    return revoke_key(
        CalendarFeed.objects.filter(school=school, owner=owner, pk=feed_id),
        missing=_("Cette adresse d'agenda n'existe pas."),
    )


# --- The school year's calendar -------------------------------------------------------------
# Every change of days or weeks regenerates the lessons from today on (the past stays as it was).


def refresh_lessons(*, school: School, school_year: int) -> GenerationResult:
    return generate_lessons(school=school, school_year=school_year, from_day=timezone.localdate())


# --- The zone's holidays, entered once by the city for every school -------------------------


# --- The slot grid and the rooms ------------------------------------------------------------

CODE_MAX_LENGTH = 10


@transaction.atomic
def add_time_slot(*, school: School, code: str, start: datetime.time, end: datetime.time) -> TimeSlot:
    code = code.strip().upper()
    if not code or len(code) > CODE_MAX_LENGTH:
        raise ValidationError(
            _("Le code du créneau compte 1 à %(max)d caractères (M1, S4…).") % {"max": CODE_MAX_LENGTH}
        )
    if start >= end:
        raise ValidationError(_("L'heure de fin doit suivre l'heure de début."))
    if TimeSlot.objects.filter(school=school, code=code).exists():
        raise ValidationError(_("Le créneau %(code)s existe déjà.") % {"code": code})
    overlapping = TimeSlot.objects.filter(school=school, start__lt=end, end__gt=start).first()
    if overlapping is not None:
        raise ValidationError(_("Ce créneau chevauche %(slot)s.") % {"slot": overlapping})
    return TimeSlot.objects.create(school=school, code=code, start=start, end=end)


@transaction.atomic
def remove_time_slot(*, school: School, slot_id: int) -> None:
    deleted, _rows = TimeSlot.objects.filter(school=school, pk=slot_id).delete()
    if not deleted:
        not_found(_("Ce créneau n'existe pas dans l'établissement."))


@transaction.atomic
def add_room(*, school: School, code: str, name: str = "") -> Room:
    code, name = code.strip(), name.strip()
    if not code or len(code) > Room._meta.get_field("code").max_length:  # type: ignore[operator]
        raise ValidationError(_("Donnez le code de la salle (30 caractères au plus)."))
    existing = Room.objects.filter(school=school, code__iexact=code).first()
    if existing is not None:
        raise ValidationError(_("La salle %(code)s existe déjà.") % {"code": existing.code})
    return Room.objects.create(school=school, code=code, name=name[:100])
