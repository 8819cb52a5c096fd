"""Reads of the vie scolaire office: the desk of the day, per-division statistics, the legal count.

The desk costs a fixed number of queries whatever the size of the school; the statistics and the
legal count go through `half_days.count_half_days`, itself a fixed number of queries.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from annuaire.models import Division, Membership, Profile
from schools.models import School
from vie_scolaire.attendance.half_days import StudentCount, count_half_days, range_moments
from vie_scolaire.attendance.models import Absence, AttendanceSettings, Lateness
from vie_scolaire.timetable.models import Lesson
from vie_scolaire.timetable.selectors import LESSON_PREFETCH, LESSON_RELATED, division_audience

# The desk lists the unjustified absences of this many days before today.
DESK_DAYS = 7
# At 4 unjustified half-days in a month the head refers the case to the DASEN (article R131-7 of
# the Code de l'éducation); at 10 the office lists the student apart as a serious case.
REFERRAL_THRESHOLD = 4
SERIOUS_THRESHOLD = 10


def attendance_settings(school: School | int) -> AttendanceSettings:
    """The school's attendance rules: its row, else the defaults (unsaved)."""
    school_id = school if isinstance(school, int) else school.pk
    found = AttendanceSettings.objects.filter(school=school_id).first()
    return found or AttendanceSettings(school_id=school_id)


def _students_of(school: School, division: Division | None) -> Q:
    if division is None:
        return Q()
    members = Membership.objects.filter(school=school, profile=Profile.STUDENT, division=division)
    return Q(student__in=members.values("user"))


def not_justified() -> Q:
    """An absence or lateness no justifying reason covers yet (none, or one that does not justify)."""
    return Q(reason__isnull=True) | Q(reason__justifies=False)


ABSENCE_RELATED = ("student", "reason", "lesson__weekly_lesson__subject")


@dataclass
class Desk:
    """What the office follows through the day."""

    today: datetime.date
    since: datetime.date
    # Each with the name of the student's division.
    absences: list[tuple[Absence, str]]
    lateness: list[tuple[Lateness, str]]
    unjustified: list[tuple[Absence, str]]
    without_roll_call: list[Lesson]
    days: int = DESK_DAYS


def office_desk(*, school: School, now: datetime.datetime, division: Division | None = None) -> Desk:
    """Today's absences and lateness, the unjustified absences of the last days, the lessons
    already started without a roll call; at most eight queries whatever the size of the school.

    `now` is local time (`timezone.localtime()`): lessons carry the school's wall-clock times.
    """
    today = now.date()
    since = today - datetime.timedelta(days=DESK_DAYS)
    students = _students_of(school, division)
    day_start, day_end = range_moments(today, today)
    absences = list(
        Absence.objects.filter(students, school=school, starts_at__lt=day_end, ends_at__gt=day_start)
        .select_related(*ABSENCE_RELATED)
        .order_by("student__last_name", "student__first_name", "starts_at")
    )
    lateness = list(
        Lateness.objects.filter(students, school=school, lesson__date=today)
        .select_related("student", "reason", "lesson__weekly_lesson__subject")
        .order_by("lesson__start", "student__last_name", "student__first_name")
    )
    past_start, _today_start = range_moments(since, today)
    unjustified = list(
        Absence.objects.filter(
            students, not_justified(), school=school, starts_at__lt=day_start, ends_at__gt=past_start
        )
        .select_related(*ABSENCE_RELATED)
        .order_by("-starts_at", "student__last_name")
    )
    listed = {a.student_id for a in absences} | {a.student_id for a in unjustified} | {x.student_id for x in lateness}
    names = _division_names(school, listed)
    return Desk(
        today=today,
        since=since,
        absences=[(a, names.get(a.student_id, "")) for a in absences],
        lateness=[(x, names.get(x.student_id, "")) for x in lateness],
        unjustified=[(a, names.get(a.student_id, "")) for a in unjustified],
        without_roll_call=_without_roll_call(school, now, division),
    )


def _without_roll_call(school: School, now: datetime.datetime, division: Division | None) -> list[Lesson]:
    lessons = Lesson.objects.filter(
        school=school, date=now.date(), start__lte=now.time(), cancelled=False, roll_call__isnull=True
    )
    if division is not None:
        lessons = lessons.filter(division_audience(division).condition)
    return list(lessons.select_related(*LESSON_RELATED).prefetch_related(*LESSON_PREFETCH).order_by("start"))


def _division_names(school: School, students: Iterable[int]) -> dict[int, str]:
    rows = Membership.objects.filter(school=school, profile=Profile.STUDENT, user__in=list(students)).values_list(
        "user", "division__name"
    )
    return {user_id: name or "" for user_id, name in rows}


# --- Statistics over a period ---------------------------------------------------------------


@dataclass
class Figures:
    """Sums over some students: a division's, or the whole school's."""

    label: str
    students: int = 0
    expected_minutes: int = 0
    missed_minutes: int = 0
    lateness: int = 0
    half_days_absent: int = 0
    half_days_unjustified: int = 0

    def add(self, count: StudentCount) -> None:
        self.students += 1
        self.expected_minutes += count.expected_minutes
        self.missed_minutes += count.minutes_missed
        self.lateness += count.lateness
        self.half_days_absent += count.half_days_absent
        self.half_days_unjustified += count.half_days_unjustified

    @property
    def hours_expected(self) -> float:
        return self.expected_minutes / 60

    @property
    def hours_missed(self) -> float:
        return self.missed_minutes / 60

    @property
    def absence_rate(self) -> float | None:
        """Hours missed over hours expected, in percent; None when nothing was expected."""
        if not self.expected_minutes:
            return None
        return 100 * self.missed_minutes / self.expected_minutes


@dataclass
class Statistics:
    first: datetime.date
    last: datetime.date
    divisions: list[Figures]
    total: Figures
    # One division's students, when the page looks at one division.
    students: list[StudentCount]


def division_statistics(
    *, school: School, first: datetime.date, last: datetime.date, division: Division | None = None
) -> Statistics:
    """Per division: absence rate, lateness, hours missed, unjustified half-days over the period."""
    counts = count_half_days(school=school, first=first, last=last, division=division)
    by_division: dict[str, Figures] = {}
    total = Figures(label="")
    for count in counts.values():
        label = count.membership.division.name if count.membership.division else ""
        by_division.setdefault(label, Figures(label=label)).add(count)
        total.add(count)
    rows = sorted(by_division.values(), key=lambda figures: (figures.label == "", figures.label))
    students = sorted(counts.values(), key=_by_name) if division is not None else []
    return Statistics(first=first, last=last, divisions=rows, total=total, students=students)


def _by_name(count: StudentCount) -> tuple[str, str]:
    user = count.membership.user
    return user.last_name.lower(), user.first_name.lower()


# --- The legal count of a month -------------------------------------------------------------


@dataclass
class MonthCount:
    first: datetime.date
    last: datetime.date
    # From the most unjustified half-days down, then by name.
    serious: list[StudentCount]
    referral: list[StudentCount]

    @property
    def previous_month(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> datetime.date:
        return self.last + datetime.timedelta(days=1)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_thresholds(*, school: School, month: datetime.date) -> MonthCount:
    """The students at 4 or more unjustified half-days in the month, those at 10 or more apart."""
    first, last = month_bounds(month)
    counts = count_half_days(school=school, first=first, last=last)
    over = [c for c in counts.values() if c.half_days_unjustified >= REFERRAL_THRESHOLD]
    over.sort(key=lambda c: (-c.half_days_unjustified, *_by_name(c)))
    return MonthCount(
        first=first,
        last=last,
        serious=[c for c in over if c.half_days_unjustified >= SERIOUS_THRESHOLD],
        referral=[c for c in over if c.half_days_unjustified < SERIOUS_THRESHOLD],
    )


def school_divisions(school: School, school_year: int) -> QuerySet[Division]:
    return Division.objects.filter(school=school, school_year=school_year).order_by("name")
