"""The homework book of the benchmark's collège: one week written, then five; its pages' queries and time."""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from bench.harness import page_queries, verdict

# The homework book's weeks: one written first, then four more (December).
BOOK_FIRST_WEEK = (datetime.date(2026, 11, 30), datetime.date(2026, 12, 4))
BOOK_MORE_WEEKS = (datetime.date(2026, 12, 5), datetime.date(2027, 1, 8))


def book_clients(school: Any, division: Any) -> dict[str, tuple[Any, str]]:
    """A student of the division, one of its teachers: signed-in clients and the page each reads."""
    from django.test import Client
    from django.urls import reverse

    from annuaire.models import Membership, Profile
    from vie_scolaire.models import WeeklyLessonTeacher

    student = Membership.objects.filter(school=school, division=division, profile=Profile.STUDENT).first()
    teacher = WeeklyLessonTeacher.objects.filter(school=school, weekly_lesson__divisions=division).first()
    assert student is not None and teacher is not None
    # The second week (due dates, workload) and the four weeks up to 18 December (the book): windows where
    # the later weeks add homework and entries.
    day = (BOOK_FIRST_WEEK[0] + datetime.timedelta(days=7)).isoformat()
    pages = {
        "book_student": (student.user, reverse("homework:home", kwargs={"uai": school.uai}) + f"?date={day}"),
        "book_division": (
            teacher.teacher,
            reverse("homework:division", kwargs={"uai": school.uai, "division_id": division.pk})
            + f"?date={(BOOK_FIRST_WEEK[1] + datetime.timedelta(days=14)).isoformat()}",
        ),
        "book_workload": (
            teacher.teacher,
            reverse("homework:workload", kwargs={"uai": school.uai, "division_id": division.pk}) + f"?date={day}",
        ),
    }
    clients = {}
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        clients[name] = (client, url)
    return clients


def read_book_pages(clients: dict[str, tuple[Any, str]], suffix: str) -> dict[str, float]:
    """Each page's queries and its time (the second reading: the per-user caches warm)."""
    figures: dict[str, float] = {}
    for name, (client, url) in clients.items():
        client.get(url)
        started = time.perf_counter()
        figures[f"{name}_{suffix}_queries"] = page_queries(client, "get", url)
        figures[f"{name}_{suffix}_ms"] = (time.perf_counter() - started) * 1000
    return figures


def measure_homework_book(school: Any, rng: random.Random) -> dict[str, float]:
    from annuaire.models import Division
    from cahier_textes.demo import write_book
    from cahier_textes.models import Homework, LessonEntry

    division = Division.objects.filter(school=school).order_by("pk")[1]
    clients = book_clients(school, division)
    write_book(school, *BOOK_FIRST_WEEK, rng)
    figures = read_book_pages(clients, "one")
    figures["book_entries_one"] = LessonEntry.objects.filter(school=school).count()
    figures["book_homework_one"] = Homework.objects.filter(school=school).count()
    write_book(school, *BOOK_MORE_WEEKS, rng)
    figures |= read_book_pages(clients, "five")
    figures["book_entries_five"] = LessonEntry.objects.filter(school=school).count()
    figures["book_homework_five"] = Homework.objects.filter(school=school).count()
    return figures


BOOK_PAGES = {
    "book_student": "A student's homework page (a week)",
    "book_division": "A teacher's book for a division (four weeks)",
    "book_workload": "The division's workload (two weeks)",
}


def book_rows(figures: dict[str, float]) -> list[str]:
    rows = [
        f"| Homework book: entries / homework, one week written, then five | "
        f"{figures['book_entries_one']:,.0f} / {figures['book_homework_one']:,.0f}, then "
        f"{figures['book_entries_five']:,.0f} / {figures['book_homework_five']:,.0f} |  |  |",
    ]
    for name, label in BOOK_PAGES.items():
        one, five = figures[f"{name}_one_queries"], figures[f"{name}_five_queries"]
        rows.append(
            f"| {label}: queries, one week written / five (time) | {one:.0f} / {five:.0f} "
            f"({figures[f'{name}_one_ms']:.0f} / {figures[f'{name}_five_ms']:.0f} ms) | the same | "
            f"{verdict(one == five)} |"
        )
    return rows
