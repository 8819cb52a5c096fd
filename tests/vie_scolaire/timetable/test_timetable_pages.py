"""The week and day pages of a student, a parent, a teacher, a division and a room; query budgets."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from annuaire.models import Profile
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import DivisionFactory, MembershipFactory, SubjectFactory, UserFactory, WeeklyLessonFactory
from tests.vie_scolaire.conftest import MONDAY, YEAR, Timetable
from vie_scolaire.timetable.services import generate_lessons

pytestmark = pytest.mark.django_db
WEEK = f"?date={MONDAY.isoformat()}"


def url(timetable: Timetable, name: str = "mine", **kwargs: object) -> str:
    return reverse(f"timetable:{name}", kwargs={"uai": timetable.cast.school.uai, **kwargs})


def page(client, user, address: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200, response.content[:500]
    return unescape(response.content.decode())


def test_a_student_sees_their_week_with_the_b_week_lessons_and_their_group(client, timetable: Timetable) -> None:
    content = page(client, timetable.cast.student, url(timetable) + WEEK)
    assert "Semaine du 30 novembre au 4 décembre 2026" in content
    assert "Semaine B" in content
    assert "Mathématiques" in content and "SVT" in content and "Anglais groupe 1" in content
    assert "Physique" not in content  # a week A lesson
    assert timetable.cast.other_division.name not in content  # another division's Friday lesson
    assert "08:00–09:00" in content and "Salle" in content


def test_a_parent_sees_their_child_and_not_another_child(client, timetable: Timetable) -> None:
    cast = timetable.cast
    content = page(client, cast.parent, url(timetable) + WEEK)
    assert cast.student.get_full_name() in content and "SVT" in content
    client.force_login(cast.parent)
    assert client.get(url(timetable, "student", student_id=cast.classmate.pk)).status_code == 404
    assert client.get(url(timetable, "student", student_id=cast.student.pk) + WEEK).status_code == 200


def test_a_teacher_sees_their_own_week_and_not_a_colleague(client, timetable: Timetable) -> None:
    cast = timetable.cast
    colleague = UserFactory()
    MembershipFactory(school=cast.school, user=colleague, profile=Profile.TEACHER)
    content = page(client, cast.teacher, url(timetable) + WEEK)
    assert cast.teacher.get_full_name() in content and "Mathématiques" in content
    assert "Autres emplois du temps" in content  # their classes and the rooms
    assert client.get(url(timetable, "teacher", teacher_id=colleague.pk)).status_code == 404
    # Vie scolaire opens any teacher's week.
    client.force_login(cast.staff)
    assert client.get(url(timetable, "teacher", teacher_id=colleague.pk)).status_code == 200


def test_staff_open_the_index_then_a_division_and_a_room(client, timetable: Timetable) -> None:
    cast = timetable.cast
    index = page(client, cast.staff, url(timetable))
    assert cast.division.name in index and "CDI" in index
    division = page(client, cast.staff, url(timetable, "division", division_id=cast.division.pk) + WEEK)
    assert "Mathématiques" in division and "SVT" in division
    room = page(client, cast.staff, url(timetable, "room", room_id=timetable.room.pk) + WEEK)
    assert "Mathématiques" in room
    # A student may not browse rooms.
    client.force_login(cast.student)
    assert client.get(url(timetable, "room", room_id=timetable.room.pk)).status_code == 404


def test_the_day_view_shows_one_day_and_a_bad_date_says_so(client, timetable: Timetable) -> None:
    tuesday = MONDAY + datetime.timedelta(days=1)
    content = page(client, timetable.cast.student, url(timetable) + f"?vue=jour&date={tuesday.isoformat()}")
    assert "Mardi 1 décembre 2026" in content and "SVT" in content and "Mathématiques" not in content
    content = page(client, timetable.cast.student, url(timetable) + "?date=2026-13-45")
    assert "La date « 2026-13-45 » n'est pas valide" in content


def test_holidays_are_shown_as_days_without_lessons(client, timetable: Timetable) -> None:
    content = page(client, timetable.cast.student, url(timetable) + "?date=2026-10-20")
    assert content.count("Pas de cours (vacances ou jour férié).") == 5
    assert "Mathématiques" not in content


def _week_queries(client, user, address: str) -> int:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with max_queries(40) as captured:
        assert client.get(address).status_code == 200
    return len(application_queries(captured))


def _grow(timetable: Timetable, size: int) -> None:
    """More divisions, students, teachers and lessons in the same school."""
    cast = timetable.cast
    for index in range(size):
        division = DivisionFactory(school=cast.school)
        teacher = UserFactory()
        MembershipFactory(school=cast.school, user=teacher, profile=Profile.TEACHER)
        for _ in range(3):
            MembershipFactory(school=cast.school, division=division)
        for weekday in range(1, 6):
            WeeklyLessonFactory(
                school=cast.school,
                school_year=YEAR,
                weekday=weekday,
                subject=SubjectFactory(school=cast.school),
                teachers=[teacher, cast.teacher] if index % 2 else [teacher],
                divisions=[division, cast.division] if index % 3 == 0 else [division],
            )
    with school_scope(cast.school):
        generate_lessons(school=cast.school, school_year=YEAR)


@pytest.mark.parametrize("role", ["student", "parent", "teacher"])
def test_a_week_costs_the_same_queries_in_a_small_and_a_large_school(client, timetable: Timetable, role: str) -> None:
    user = timetable.cast.users_by_role[role]
    address = url(timetable) + WEEK
    small = _week_queries(client, user, address)
    _grow(timetable, 30)
    large = _week_queries(client, user, address)
    assert large == small, f"{role}: {small} queries with a small school, {large} with a large one"
