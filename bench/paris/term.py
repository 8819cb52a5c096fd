"""The current term of every school of the Paris-scale world, written school by school through the
portal's bulk paths: calendars and timetables, grades, roll calls, the homework book.

Each step runs inside one school's scope and one transaction per school, like a nightly job; its
random draws come from a generator of its own per school, so a step's data do not depend on the
others'. The helpers are the demo's and the vie scolaire benchmark's (`vie_scolaire.demo`,
`bench.college`), at the volumes of a Paris term.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from annuaire.models import Division
from bench.college.attendance import attend
from bench.college.build import grade_services
from cahier_textes.demo import write_book
from schools.models import School
from schools.tenancy import cross_school, school_scope
from vie_scolaire.calendar.models import Holiday, Period
from vie_scolaire.calendar.selectors import year_calendar
from vie_scolaire.calendar.weeks import SCHOOL_DAYS, YearCalendar
from vie_scolaire.demo import Term, change_lessons_this_week, plan_weekly_lessons, trimesters, write_calendar
from vie_scolaire.timetable.services import generate_lessons

# Assessments per teaching service in the term: with 10 to 13 services a student, about fifty grades
# each by the end of the term, some 3 million across the city (a teacher sets one every two or three weeks).
ASSESSMENTS_PER_SERVICE = 5
# Students tick the homework on their list: that of the last two weeks.
TICKED_DAYS = datetime.timedelta(days=14)
# The coming school days that must have their lessons, whatever day the world is built.
COMING_SCHOOL_DAYS = 5


def paris_terms(school_year: int) -> list[Term]:
    """Trimesters that end with the Christmas and the spring holidays, as many Paris collèges count them."""
    return trimesters(school_year, first_ends=(12, 18), second_ends=(4, 16))


@dataclass(frozen=True)
class Moment:
    """The day the world is built for: its school year, its term, the lessons' span and the past's."""

    today: datetime.date
    school_year: int
    term: Term
    lessons_until: datetime.date
    school_day: bool
    next_school_days: tuple[datetime.date, ...]
    holiday: str = ""  # the holidays today is in, if any

    @property
    def lessons_from(self) -> datetime.date:
        return self.term[1]

    @property
    def past(self) -> tuple[datetime.date, datetime.date]:
        """The days whose roll calls and homework book are written: the term up to yesterday (the load
        test plays Monday 8:00, before the day's first roll call)."""
        return self.term[1], min(self.today - datetime.timedelta(days=1), self.term[2])

    def describe(self) -> str:
        name, first, last = self.term
        days = ", ".join(day.isoformat() for day in self.next_school_days)
        if self.school_day:
            today = "a school day"
        elif self.holiday:
            today = f"in the holidays ({self.holiday}): no lessons today"
        else:
            today = "not a school day: no lessons today"
        return (
            f"{self.today.isoformat()} is {today}; the term: {name} ({first} to {last}); lessons from {first} to "
            f"{self.lessons_until}; the next school days: {days}"
        )


def moment_of(calendar: YearCalendar, today: datetime.date, school_year: int, holiday: str = "") -> Moment:
    terms = paris_terms(school_year)
    term = next((t for t in terms if t[1] <= today <= t[2]), terms[0] if today < terms[0][1] else terms[-1])

    def has_lessons(day: datetime.date) -> bool:
        return calendar.is_school_day(day) and day.weekday() < SCHOOL_DAYS

    coming: list[datetime.date] = []
    day = today
    while len(coming) < COMING_SCHOOL_DAYS and day <= calendar.last_day:
        day += datetime.timedelta(days=1)
        if has_lessons(day):
            coming.append(day)
    until = max([term[2], *coming])
    return Moment(today, school_year, term, until, has_lessons(today), tuple(coming), holiday)


def all_schools() -> list[School]:
    with cross_school():
        return list(School.objects.order_by("uai"))


def for_each_school(seed: int, step: str, work: Callable[[School, random.Random], dict[str, int]]) -> dict[str, int]:
    """`work` for every school, in its scope and its own transaction, with the step's generator for that
    school; answers the sum of the counts."""
    counts: dict[str, int] = {}
    for school in all_schools():
        rng = random.Random(f"{seed}-{step}-{school.uai}")  # noqa: S311 (reproducible data, not secrets)
        with school_scope(school), transaction.atomic():
            for name, count in work(school, rng).items():
                counts[name] = counts.get(name, 0) + count
    return counts


def activate_everyone(password: str) -> dict[str, int]:
    """Every account active and signed up with one password: one hash, one UPDATE; the schools open."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annuaire_user SET password = %s, activated_at = coalesce(activated_at, now()) WHERE is_active",
            [make_password(password)],
        )
        accounts = cursor.rowcount
        cursor.execute("UPDATE schools_school SET status = %s", [School.Status.OPEN])
    return {"accounts activated": accounts, "schools open": len(all_schools())}


def write_timetables(today: datetime.date, school_year: int, seed: int) -> tuple[Moment, dict[str, int]]:
    """Each school's calendar (the zone's holidays, the Paris terms), its weekly pattern planned from the
    teaching assignments, the term's lessons generated, and this week's few changes."""
    moments: list[Moment] = []

    def timetable(school: School, rng: random.Random) -> dict[str, int]:
        write_calendar(school, school_year, paris_terms(school_year))
        if not moments:
            holiday = Holiday.objects.filter(school=school, first_day__lte=today, last_day__gte=today).first()
            calendar = year_calendar(school, school_year)
            moments.append(moment_of(calendar, today, school_year, holiday.name if holiday else ""))
        moment = moments[0]
        weekly = plan_weekly_lessons(school=school, school_year=school_year, rng=rng)
        generated = generate_lessons(
            school=school,
            school_year=school_year,
            weekly_lessons=weekly,
            from_day=moment.lessons_from,
            until_day=moment.lessons_until,
        )
        changed = change_lessons_this_week(school, rng) if moment.school_day else 0
        return {"weekly lessons": len(weekly), "lessons": generated.created, "lessons changed": changed}

    counts = for_each_school(seed, "timetable", timetable)
    assert moments, "the export has schools"
    return moments[0], counts


def current_term(school: School, moment: Moment) -> Period:
    return Period.objects.get(school=school, school_year=moment.school_year, first_day=moment.term[1])


def write_grades(moment: Moment, seed: int) -> dict[str, int]:
    """The term's assessments of every teaching service, dated from its third week up to today, published
    and told; every student graded."""
    first = moment.lessons_from + datetime.timedelta(days=14)
    last = max(first + datetime.timedelta(days=1), min(moment.today, moment.term[2]))

    def grades(school: School, rng: random.Random) -> dict[str, int]:
        term = current_term(school, moment)
        written = grade_services(
            school, term, rng, per_service=ASSESSMENTS_PER_SERVICE, dates=(first, last), published=True
        )
        return {"assessments": written[0], "grades": written[1]}

    return for_each_school(seed, "grades", grades)


def write_attendance(moment: Moment, seed: int) -> dict[str, int]:
    """Every lesson of the term so far had its roll call; absences, lateness and the office's absences."""

    def attendance(school: School, rng: random.Random) -> dict[str, int]:
        divisions = list(Division.objects.filter(school=school).values_list("pk", flat=True))
        return attend(school, divisions, rng, days=moment.past)

    return for_each_school(seed, "attendance", attendance)


def write_homework_book(moment: Moment, seed: int) -> dict[str, int]:
    """A lesson entry for every lesson of the term so far, homework in some, and the students' ticks of the
    homework due in the last two weeks (what their list shows)."""
    ticked_from = moment.today - TICKED_DAYS

    def book(school: School, rng: random.Random) -> dict[str, int]:
        return write_book(school, *moment.past, rng, ticked_from=ticked_from)

    return for_each_school(seed, "homework book", book)
