"""Writes of the roll call of a lesson: its save (one transaction) and the families' notice of its
absences. When a roll call may be taken and when families hear of it: vie_scolaire.attendance.selectors.roll_call."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import User
from communication.notifications.services.notices import EMAIL, SMS, Notice, notify_each
from communication.notifications.texts import Text
from schools.tasks import start_after_commit
from vie_scolaire.attendance.models import Absence, AttendanceSettings, EarlyDeparture, Lateness, RollCall
from vie_scolaire.attendance.selectors.families import attendance_followers
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.attendance.selectors.roll_call import (
    absence_notice_due_at,
    covered_students,
    lesson_moments,
    lesson_students,
    roll_call_not_open_message,
)
from vie_scolaire.timetable.models import Lesson
from vie_scolaire.timetable.selectors import week_url

MAX_LATENESS_MINUTES = 240


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

    Refused, recording nothing, before the roll call opens. The families hear of a new absence once the
    lesson's first minutes have passed, and of a correction if they had already heard of it.
    """
    departures = departures or {}
    rules = attendance_settings(lesson.school_id)
    refusal = roll_call_not_open_message(lesson, rules)
    if refusal:
        raise ValidationError(refusal)
    _check_roll_call(lesson, absent, late, departures)
    start, end = lesson_moments(lesson)
    # A student already absent by the office's or a parent's absence stays under that one (with its
    # reason and justification) rather than getting a second, unjustified one.
    elsewhere = Absence.objects.filter(
        school=lesson.school_id, student__in=absent, starts_at__lte=start, ends_at__gte=end
    ).exclude(lesson=lesson)
    absent = absent - covered_students(lesson, elsewhere)
    recorded = dict(Absence.objects.filter(lesson=lesson).values_list("student", "notice_sent_at"))
    Absence.objects.filter(lesson=lesson).exclude(student__in=absent).delete()
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
        for student_id in sorted(absent - set(recorded))
    )
    _replace_rows(Lateness, lesson, {s: {"minutes": m} for s, m in late.items()}, taken_by)
    _replace_rows(EarlyDeparture, lesson, {s: {"left_at": t} for s, t in departures.items()}, taken_by)
    roll_call, _created = RollCall.objects.update_or_create(
        school_id=lesson.school_id, lesson=lesson, defaults={"taken_by": taken_by}
    )
    told_then_present = {student for student, told_at in recorded.items() if told_at and student not in absent}
    _tell_parents(lesson, told_then_present, correction=True)
    due = absence_notice_due_at(lesson, rules)
    if timezone.now() >= due:
        send_due_absence_notices(lesson=lesson, rules=rules)
    elif absent - set(recorded):
        start_after_commit("vie_scolaire.tasks.send_absence_notices", lesson.school_id, lesson.pk, eta=due)
    return roll_call


@transaction.atomic
def send_due_absence_notices(*, lesson: Lesson, rules: AttendanceSettings | None = None) -> int:
    """Tell the families of the lesson's roll-call absences whose notice is due and has not left; answers
    how many absences were told. Early (an eager task, a task run again) or a second time, it tells nobody.

    `rules`: the school's attendance rules when the caller has read them already."""
    rules = rules or attendance_settings(lesson.school_id)
    if timezone.now() < absence_notice_due_at(lesson, rules):
        return 0
    owed = list(
        Absence.objects.select_for_update(skip_locked=True)
        .filter(school=lesson.school_id, lesson=lesson, source=Absence.Source.ROLL_CALL, notice_sent_at=None)
        .values_list("pk", "student_id")
    )
    if not owed:
        return 0
    _tell_parents(lesson, {student for _pk, student in owed}, correction=False)
    Absence.objects.filter(pk__in=[pk for pk, _student in owed]).update(notice_sent_at=timezone.now())
    return len(owed)


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


def _tell_parents(lesson: Lesson, students: set[int], *, correction: bool) -> None:
    """One notification per person who follows each student's attendance (the legal representatives, or
    an adult student themself), in each one's language, also by e-mail and text message; a constant number
    of queries: the absence, or its correction when the student was there after all."""
    if not students:
        return
    followers = attendance_followers(lesson.school_id, students)
    names = dict(User.objects.filter(pk__in=students).values_list("pk", "first_name"))
    if correction:
        message = gettext_noop("Correction : %(name)s était présent(e) en %(subject)s le %(date)s à %(time)s")
    else:
        message = gettext_noop("%(name)s absent(e) en %(subject)s le %(date)s à %(time)s")
    notices = [
        Notice(
            follower,
            Text(
                message,
                name=names[student_id],
                subject=lesson.weekly_lesson.subject.name,
                date=lesson.date,
                time=lesson.start,
            ),
            url=week_url(lesson.school, lesson.date),
        )
        for student_id in sorted(students)
        for follower in followers[student_id]
    ]
    kind = "attendance.corrected" if correction else "attendance.absent"
    notify_each(school=lesson.school, kind=kind, notices=notices, channels=frozenset({EMAIL, SMS}))
