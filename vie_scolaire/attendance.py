"""The roll call of a lesson: its sheet (who is expected, who is already known absent) and its save.

Reads and the one write together: the sheet is what the save compares with.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import GroupMembership, Guardianship, Membership, Profile, User
from communication.services import EMAIL, SMS, Notice, notify_each
from communication.texts import Text
from vie_scolaire.models import Absence, EarlyDeparture, Lateness, Lesson, RollCall
from vie_scolaire.selectors import week_url
from vie_scolaire.weeks import local_moment

MAX_LATENESS_MINUTES = 240


def lesson_moments(lesson: Lesson) -> tuple[datetime.datetime, datetime.datetime]:
    return local_moment(lesson.date, lesson.start), local_moment(lesson.date, lesson.end)


def lesson_students(lesson: Lesson) -> list[Membership]:
    """The active students of the lesson's divisions and groups, by name."""
    weekly = lesson.weekly_lesson
    in_groups = GroupMembership.objects.filter(school=lesson.school_id, group__in=weekly.groups.all()).values(
        "membership"
    )
    return list(
        Membership.objects.filter(
            Q(division__in=weekly.divisions.all()) | Q(pk__in=in_groups),
            school=lesson.school_id,
            profile=Profile.STUDENT,
            active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
        .distinct()
    )


@dataclass
class SheetRow:
    membership: Membership
    absent: bool = False
    late_minutes: int | None = None
    left_at: datetime.time | None = None
    # Absent for the whole lesson by an absence the office or a parent recorded.
    known_absent: bool = False


def _covered(lesson: Lesson, absences: Iterable[Absence]) -> set[int]:
    """The students an absence recorded elsewhere (the office, a parent's declaration) covers for the whole lesson."""
    start, end = lesson_moments(lesson)
    return {a.student_id for a in absences if a.lesson_id != lesson.pk and a.starts_at <= start and a.ends_at >= end}


def roll_call_sheet(lesson: Lesson) -> list[SheetRow]:
    """Every expected student with what is already recorded; a constant number of queries."""
    students = lesson_students(lesson)
    ids = [m.user_id for m in students]
    start, end = lesson_moments(lesson)
    absences = Absence.objects.filter(school=lesson.school_id, student__in=ids, starts_at__lt=end, ends_at__gt=start)
    marked = {a.student_id for a in absences if a.lesson_id == lesson.pk}
    known = _covered(lesson, absences)
    late = dict(Lateness.objects.filter(lesson=lesson).values_list("student", "minutes"))
    left = dict(EarlyDeparture.objects.filter(lesson=lesson).values_list("student", "left_at"))
    return [
        SheetRow(
            m,
            absent=m.user_id in marked,
            late_minutes=late.get(m.user_id),
            left_at=left.get(m.user_id),
            known_absent=m.user_id in known,
        )
        for m in students
    ]


@transaction.atomic
def take_roll_call(
    *,
    lesson: Lesson,
    absent: set[int],
    late: dict[int, int],
    taken_by: User,
    departures: dict[int, datetime.time] | None = None,
) -> RollCall:
    """Save the whole roll call at once: absences, lateness and early departures of this lesson become
    exactly these, in a constant number of queries.

    The parents of a student newly marked absent are told the same day.
    """
    departures = departures or {}
    _check_roll_call(lesson, absent, late, departures)
    start, end = lesson_moments(lesson)
    # A student already absent by the office's or a parent's absence stays under that one (with its
    # reason and justification) rather than getting a second, unjustified one.
    elsewhere = Absence.objects.filter(
        school=lesson.school_id, student__in=absent, starts_at__lte=start, ends_at__gte=end
    ).exclude(lesson=lesson)
    absent = absent - _covered(lesson, elsewhere)
    recorded = set(Absence.objects.filter(lesson=lesson).values_list("student", flat=True))
    Absence.objects.filter(lesson=lesson).exclude(student__in=absent).delete()
    new_absent = absent - recorded
    Absence.objects.bulk_create(
        Absence(
            school_id=lesson.school_id,
            student_id=student_id,
            starts_at=start,
            ends_at=end,
            source=Absence.Source.ROLL_CALL,
            lesson=lesson,
            created_by=taken_by,
        )
        for student_id in sorted(new_absent)
    )
    _replace_rows(Lateness, lesson, {s: {"minutes": m} for s, m in late.items()}, taken_by)
    _replace_rows(EarlyDeparture, lesson, {s: {"left_at": t} for s, t in departures.items()}, taken_by)
    roll_call, _created = RollCall.objects.update_or_create(
        school_id=lesson.school_id, lesson=lesson, defaults={"taken_by": taken_by}
    )
    _tell_parents(lesson, new_absent)
    return roll_call


def _check_roll_call(
    lesson: Lesson, absent: set[int], late: dict[int, int], departures: dict[int, datetime.time]
) -> None:
    expected = {m.user_id for m in lesson_students(lesson)}
    if not (absent | set(late) | set(departures)) <= expected:
        raise ValidationError(_("Un des élèves n'est pas attendu à cette séance."))
    if absent & (set(late) | set(departures)):
        raise ValidationError(_("Un élève absent ne peut être ni en retard ni parti avant la fin."))
    if any(not 1 <= minutes <= MAX_LATENESS_MINUTES for minutes in late.values()):
        raise ValidationError(_("Un retard compte de 1 à %(max)d minutes.") % {"max": MAX_LATENESS_MINUTES})
    if any(not lesson.start < left_at < lesson.end for left_at in departures.values()):
        raise ValidationError(
            _("Un départ anticipé a lieu pendant la séance, entre %(start)s et %(end)s.")
            % {"start": lesson.start.strftime("%H:%M"), "end": lesson.end.strftime("%H:%M")}
        )


def _replace_rows(
    model: type[Lateness] | type[EarlyDeparture], lesson: Lesson, wanted: dict[int, dict[str, object]], by: User
) -> None:
    """Make the lesson's rows of `model` exactly `wanted` (values by student): three queries at most."""
    model.objects.filter(lesson=lesson).exclude(student__in=wanted).delete()
    existing = {row.student_id: row for row in model.objects.filter(lesson=lesson, student__in=wanted)}
    changed = []
    for student_id, values in wanted.items():
        row = existing.get(student_id)
        if row is None:
            continue
        if any(getattr(row, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, list(next(iter(wanted.values()))))
    model.objects.bulk_create(
        model(school_id=lesson.school_id, lesson=lesson, student_id=student_id, created_by=by, **values)
        for student_id, values in wanted.items()
        if student_id not in existing
    )


def _tell_parents(lesson: Lesson, students: set[int]) -> None:
    """One notification per legal representative, in each one's language whatever the office's, also by
    e-mail and text message (one query for the links, one for the records)."""
    if not students:
        return
    links = Guardianship.objects.filter(
        school=lesson.school_id, student__in=students, legal_representative=True
    ).select_related("student", "guardian")
    notices = [
        Notice(
            link.guardian,
            Text(
                gettext_noop("%(name)s absent(e) en %(subject)s le %(date)s à %(time)s"),
                name=link.student.first_name,
                subject=lesson.weekly_lesson.subject.name,
                date=lesson.date,
                time=lesson.start,
            ),
            url=week_url(lesson.school, lesson.date),
        )
        for link in links
    ]
    notify_each(school=lesson.school, kind="attendance.absent", notices=notices, channels=frozenset({EMAIL, SMS}))
