"""A month of attendance in the benchmark's collège, and the queries of the pages that read it."""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from bench.harness import page_queries, verdict

HALF_DAYS_TARGET_SECONDS = 1.0
# November of the bench's year: its month of attendance.
MONTH = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
# The desk is read on the last Friday of the month, late in the morning.
DESK_MOMENT = (datetime.date(2026, 11, 27), datetime.time(11, 0))
ABSENT_RATE = 0.03  # of the students expected at a lesson
LATE_RATE = 0.01
CHRONIC_SHARE = 0.03  # of the students: absent from a third of their lessons
CHRONIC_RATE = 0.35
OFFICE_SHARE = 0.06  # of the students: one absence of 1 to 3 days entered by the office


def attend_a_month(school: Any, division_ids: list[int], rng: random.Random) -> dict[str, int]:
    """November's roll calls of these divisions; late on the desk's morning, half are still to take."""
    return attend(school, division_ids, rng, days=MONTH, pending_from=(DESK_MOMENT[0], datetime.time(10, 0)))


def attend(
    school: Any,
    division_ids: list[int],
    rng: random.Random,
    *,
    days: tuple[datetime.date, datetime.date],
    pending_from: tuple[datetime.date, datetime.time] | None = None,
) -> dict[str, int]:
    """The roll calls of these divisions' lessons between two days: absences (some justified, some
    refused; the families told), lateness, a few chronic absentees, and office absences of one to three
    days (each month, some students). From `pending_from` on, half the roll calls are still to take.
    Plain rows through COPY (`schools.bulk`): a Paris term is a million roll calls."""
    from django.utils import timezone

    from annuaire.models import Membership, Profile
    from schools.bulk import Row, insert_rows
    from vie_scolaire.attendance.services.office import ensure_absence_reasons
    from vie_scolaire.models import Absence, AbsenceReason, Lateness, Lesson, RollCall, WeeklyLessonTeacher

    ensure_absence_reasons(school=school)
    reasons = {reason.code: reason.pk for reason in AbsenceReason.objects.filter(school=school)}
    students: dict[int, list[int]] = {}
    for user_id, division_id in Membership.objects.filter(
        school=school, profile=Profile.STUDENT, active=True, division__in=division_ids
    ).values_list("user_id", "division_id"):
        students.setdefault(division_id, []).append(user_id)
    chronic = {student for group in students.values() for student in group if rng.random() < CHRONIC_SHARE}
    teachers = dict(WeeklyLessonTeacher.objects.filter(school=school).values_list("weekly_lesson_id", "teacher_id"))
    lessons = Lesson.objects.filter(
        school=school, date__range=days, cancelled=False, weekly_lesson__divisions__in=division_ids
    ).values_list("pk", "date", "start", "end", "weekly_lesson__divisions", "weekly_lesson_id")

    def moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, at))

    def reason() -> int | None:
        draw = rng.random()
        return reasons["MALADIE"] if draw < 0.4 else reasons["NON_RECEVABLE"] if draw < 0.5 else None

    told = datetime.timedelta(minutes=15)
    roll_calls: list[Row] = []
    absences: list[Row] = []
    lateness: list[Row] = []
    for lesson_id, day, start, end, division_id, weekly_id in lessons.iterator(chunk_size=10_000):
        if pending_from and (day, start) >= pending_from and rng.random() < 0.5:
            continue  # late that morning, half the roll calls are still to take: the desk lists them
        teacher = teachers.get(weekly_id)
        starts_at = moment(day, start)
        roll_calls.append((school.pk, lesson_id, teacher, starts_at + datetime.timedelta(minutes=5)))
        ends_at = None
        for student in students.get(division_id, ()):
            draw = rng.random()
            if draw < (CHRONIC_RATE if student in chronic else ABSENT_RATE):
                ends_at = ends_at or moment(day, end)
                absences.append(
                    (
                        school.pk, student, starts_at, ends_at, Absence.Source.ROLL_CALL, lesson_id,
                        None if student in chronic else reason(), starts_at + told, teacher,
                    )
                )  # fmt: skip
            elif draw < ABSENT_RATE + LATE_RATE:
                lateness.append((school.pk, student, lesson_id, rng.randint(2, 20), teacher))
    months = max(1, round((days[1] - days[0]).days / 30))
    for group in students.values():
        for student in group:
            for _month in range(months):
                if rng.random() < OFFICE_SHARE:
                    first = days[0] + datetime.timedelta(days=rng.randint(0, max((days[1] - days[0]).days - 3, 0)))
                    absences.append(
                        (
                            school.pk, student, moment(first, datetime.time(0)),
                            moment(first + datetime.timedelta(days=rng.randint(1, 3)), datetime.time(0)),
                            Absence.Source.OFFICE, None, reason(), None, None,
                        )
                    )  # fmt: skip
    insert_rows(RollCall, ("school_id", "lesson_id", "taken_by_id", "taken_at"), roll_calls)
    absence_columns = (
        "school_id", "student_id", "starts_at", "ends_at", "source", "lesson_id", "reason_id", "notice_sent_at",
        "created_by_id",
    )  # fmt: skip
    insert_rows(Absence, absence_columns, absences)
    insert_rows(Lateness, ("school_id", "student_id", "lesson_id", "minutes", "created_by_id"), lateness)
    return {"roll_calls": len(roll_calls), "absences": len(absences), "lateness": len(lateness)}


def office_client(school: Any) -> Any:
    """A signed-in member of the vie scolaire office (the office may take or correct any roll call)."""
    from django.test import Client

    from annuaire.models import Membership, Profile, User

    staff = User.objects.create(username="cpe.bench", last_name="CPE")
    Membership.objects.create(school=school, user=staff, profile=Profile.STAFF, functions=["CPE"])
    client = Client()
    client.force_login(staff)
    return client


def desk_queries(client: Any, school: Any) -> int:
    """The office desk's queries, read at the bench's moment (a school day of the month)."""
    from unittest import mock

    from django.urls import reverse
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(*DESK_MOMENT))
    # Django's clock, not the project's code: the desk shows "today", here a day of the bench's month.
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return page_queries(client, "get", reverse("attendance:desk", kwargs={"uai": school.uai}))


def roll_call_queries(client: Any, school: Any, division: Any) -> tuple[int, int, int]:
    """A December lesson of the division (no roll call yet): students, the page's and the save's queries."""
    from django.urls import reverse

    from annuaire.models import Membership
    from vie_scolaire.models import Lesson

    lesson = (
        Lesson.objects.filter(school=school, date__gt=MONTH[1], cancelled=False, weekly_lesson__divisions=division)
        .order_by("date", "start")
        .first()
    )
    assert lesson is not None, "the bench's timetable has December lessons"
    students = list(Membership.objects.filter(school=school, division=division).values_list("user_id", flat=True))
    url = reverse("timetable:roll_call", kwargs={"uai": school.uai, "lesson_id": lesson.pk})
    page = page_queries(client, "get", url)
    # The same marks in both divisions: three absent, two late.
    marks = {f"absent-{student}": "on" for student in students[:3]}
    marks |= {f"late-{student}": "5" for student in students[3:5]}
    return len(students), page, page_queries(client, "post", url, marks)


def measure_attendance(school: Any, rng: random.Random) -> dict[str, float]:
    from annuaire.models import Division
    from vie_scolaire.attendance.half_days import count_half_days
    from vie_scolaire.attendance.selectors.office import REFERRAL_THRESHOLD, SERIOUS_THRESHOLD

    divisions = list(Division.objects.filter(school=school).order_by("pk"))
    small, large = divisions[1], divisions[0]  # 27 students, and the full division of 35
    client = office_client(school)
    written = attend_a_month(school, [divisions[1].pk], rng)
    desk_small = desk_queries(client, school)
    more = attend_a_month(school, [d.pk for d in divisions if d.pk != divisions[1].pk], rng)
    desk_large = desk_queries(client, school)
    started = time.perf_counter()
    counts = count_half_days(school=school, first=MONTH[0], last=MONTH[1])
    counting = time.perf_counter() - started
    small_students, small_page, small_save = roll_call_queries(client, school, small)
    large_students, large_page, large_save = roll_call_queries(client, school, large)
    unjustified = [count.half_days_unjustified for count in counts.values()]
    return {
        "roll_calls": written["roll_calls"] + more["roll_calls"],
        "absences": written["absences"] + more["absences"],
        "lateness": written["lateness"] + more["lateness"],
        "counted_students": len(counts),
        "half_days": sum(count.half_days_absent for count in counts.values()),
        "referral": sum(n >= REFERRAL_THRESHOLD for n in unjustified),
        "serious": sum(n >= SERIOUS_THRESHOLD for n in unjustified),
        "counting": counting,
        "desk_small": desk_small,
        "desk_small_absences": written["absences"],
        "desk_large": desk_large,
        "small_students": small_students,
        "large_students": large_students,
        "small_page": small_page,
        "large_page": large_page,
        "small_save": small_save,
        "large_save": large_save,
    }


def attendance_rows(figures: dict[str, float]) -> list[str]:
    counting = verdict(figures["counting"] < HALF_DAYS_TARGET_SECONDS)
    desk = verdict(figures["desk_small"] == figures["desk_large"])
    page = verdict(figures["small_page"] == figures["large_page"])
    save = verdict(figures["small_save"] == figures["large_save"])
    return [
        f"| November: roll calls / absences / lateness | {figures['roll_calls']:,.0f} / "
        f"{figures['absences']:,.0f} / {figures['lateness']:,.0f} |  |  |",
        f"| Half-days of absence of the month ({figures['counted_students']:,.0f} students; "
        f"{figures['referral']:.0f} at 4+ unjustified, {figures['serious']:.0f} at 10+) | "
        f"{figures['half_days']:,.0f} |  |  |",
        f"| Monthly half-day count of the whole school: time | {figures['counting']:.2f} s | "
        f"< {HALF_DAYS_TARGET_SECONDS:.0f} s | {counting} |",
        f"| Office desk: queries with one division's month ({figures['desk_small_absences']:,.0f} absences) / "
        f"the whole school's | {figures['desk_small']:.0f} / {figures['desk_large']:.0f} | the same | {desk} |",
        f"| Roll call page: queries, {figures['small_students']:.0f} / {figures['large_students']:.0f} students | "
        f"{figures['small_page']:.0f} / {figures['large_page']:.0f} | the same | {page} |",
        f"| Roll call save (3 absent, 2 late): queries, {figures['small_students']:.0f} / "
        f"{figures['large_students']:.0f} students | {figures['small_save']:.0f} / {figures['large_save']:.0f} | "
        f"the same | {save} |",
    ]
