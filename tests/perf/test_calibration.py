"""The load test's floors: the calibration view reads what the portal's school home shows.

The calibration view (bench/load/calibration.py) is the hand-written-SQL floor the home page is
measured against; it is only a fair floor if it reads the same data. A student's world with a
lesson later today, homework for tomorrow and an announcement, read by both, and by both
refused to someone else's session.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from annuaire.models import Membership, Profile
from bench.load import calibration
from cahier_textes.models import Homework
from communication.models import Announcement
from tests.conftest import requires_postgres
from tests.factories import (
    DivisionFactory,
    LessonFactory,
    RoomFactory,
    SchoolFactory,
    SubjectFactory,
    UserFactory,
    WeeklyLessonFactory,
)

pytestmark = [requires_postgres(), pytest.mark.django_db(transaction=True)]

MONDAY_9 = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def monday() -> Iterator[None]:
    with time_machine.travel(MONDAY_9, tick=False):
        yield
    connection = getattr(calibration._local, "connection", None)
    if connection is not None:
        connection.close()


def student_world() -> dict[str, Any]:
    school = SchoolFactory()
    division = DivisionFactory(school=school)
    student = UserFactory(first_name="Inès", last_name="Martin")
    Membership.unscoped.create(school=school, user=student, profile=Profile.STUDENT, division=division)
    subject = SubjectFactory(school=school, name="Sciences de la vie et de la Terre")
    room = RoomFactory(school=school, name="Labo 2")
    weekly = WeeklyLessonFactory(
        school=school, subject=subject, room=room, start=datetime.time(10), end=datetime.time(11), divisions=[division]
    )
    today = LessonFactory(school=school, weekly_lesson=weekly, scheduled_date=MONDAY_9.date())
    Homework.unscoped.create(
        school=school, given_in=today, due_on=MONDAY_9.date() + datetime.timedelta(days=1), description="Schéma du cœur"
    )
    Announcement.unscoped.create(
        school=school,
        title="Sortie au Muséum",
        body="…",
        whole_school=True,
        publish_at=MONDAY_9 - datetime.timedelta(days=1),
    )
    return {"school": school, "student": student}


def floor(client: Client, uai: str) -> tuple[int, str]:
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = status

    environ = {"HTTP_COOKIE": f"sessionid={client.cookies['sessionid'].value}", "QUERY_STRING": f"uai={uai}"}
    body = b"".join(calibration.calibration(environ, start_response)).decode()
    return int(answer["status"][:3]), body


def test_the_calibration_view_reads_what_the_school_home_shows(monday: None) -> None:
    world = student_world()
    client = Client()
    client.force_login(world["student"])
    uai = world["school"].uai

    home = client.get(reverse("school_home", kwargs={"uai": uai})).content.decode()
    status, body = floor(client, uai)

    assert status == 200
    for shown in ("Sciences de la vie et de la Terre", "Labo 2", "Schéma du cœur", "Sortie au Muséum"):
        assert shown in home
        assert shown in body
    assert "Inès Martin" in body
    assert "10:00" in body


def test_the_calibration_view_refuses_a_session_of_another_school(monday: None) -> None:
    world = student_world()
    stranger = Client()
    stranger.force_login(UserFactory())

    assert floor(stranger, world["school"].uai)[0] == 403
