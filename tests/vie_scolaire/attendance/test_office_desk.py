"""The office's desk of the day and its statistics over a period, on hand-built days."""

from __future__ import annotations

import datetime
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from annuaire.models import GroupMembership, Membership
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import TeachingGroupFactory
from tests.vie_scolaire.attendance.half_day_support import (
    absent,
    absent_from,
    at,
    day,
    late,
    lesson,
    new_student,
    reasons,
    rolled,
)
from tests.world import SchoolCast, World
from vie_scolaire.attendance.selectors.office import Desk, division_statistics, office_desk

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026 at 10:30.
TODAY = day(2)
NOW_HOUR = (10, 30)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = at(TODAY, *NOW_HOUR)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def desk_url(cast: SchoolCast) -> str:
    return reverse("attendance:desk", kwargs={"uai": cast.school.uai})


def read_desk(cast: SchoolCast, **options: object) -> Desk:
    with school_scope(cast.school):
        return office_desk(school=cast.school, now=timezone.localtime(), **options)  # type: ignore[arg-type]


def build_day(cast: SchoolCast) -> dict[str, Any]:
    """Today: three lessons started (one with its roll call), one cancelled, one to come; absences and lateness."""
    school, division = cast.school, [cast.division]
    maths = lesson(school, TODAY, (8, 0), (9, 0), divisions=division)
    french = lesson(school, TODAY, (9, 0), (10, 0), divisions=division)
    rolled(french)
    english = lesson(school, TODAY, (10, 0), (11, 0), divisions=[cast.other_division])
    lesson(school, TODAY, (9, 0), (10, 0), divisions=division, cancelled=True)
    lesson(school, TODAY, (14, 0), (15, 0), divisions=division)
    by_code = reasons(school)
    today_absence = absent_from(cast.student, maths)
    office = absent(cast.other_student, at(TODAY, 0), at(TODAY + datetime.timedelta(days=1), 0))
    lateness = late(cast.classmate, french, minutes=12)
    # The last days: one unjustified (listed), one justified, one too old, one with a reason that does not justify.
    monday = absent(cast.classmate, at(day(0), 8), at(day(0), 12))
    absent(cast.classmate, at(day(1), 8), at(day(1), 12), reason=by_code["MALADIE"])
    absent(cast.classmate, at(day(-10), 8), at(day(-10), 12))
    refused = absent(cast.student, at(day(1), 14), at(day(1), 17), reason=by_code["NON_RECEVABLE"])
    return {
        "maths": maths,
        "english": english,
        "today_absence": today_absence,
        "office": office,
        "lateness": lateness,
        "monday": monday,
        "refused": refused,
    }


def test_the_desk_shows_the_day_the_unjustified_and_the_missing_roll_calls(world: World) -> None:
    cast = world.a
    built = build_day(cast)
    desk = read_desk(cast)
    assert {(a.pk, division) for a, division in desk.absences} == {
        (built["today_absence"].pk, cast.division.name),
        (built["office"].pk, cast.other_division.name),
    }
    assert [(x.pk, division) for x, division in desk.lateness] == [(built["lateness"].pk, cast.division.name)]
    # Newest first: Tuesday's refused reason, then Monday's without a reason.
    assert [a.pk for a, _division in desk.unjustified] == [built["refused"].pk, built["monday"].pk]
    # Started before 10:30, not cancelled, no roll call: maths at 8:00 and English at 10:00.
    assert [lesson.pk for lesson in desk.without_roll_call] == [built["maths"].pk, built["english"].pk]


def test_the_desk_page_filters_by_division(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_day(cast)
    client.force_login(cast.staff)
    page = unescape(client.get(desk_url(cast)).content.decode())
    assert cast.other_student.get_full_name() in page and cast.student.get_full_name() in page
    assert "2 séances commencées avant 10:30 sans appel" in page and "1 retard aujourd'hui" in page
    filtered = unescape(client.get(desk_url(cast), {"classe": cast.division.pk}).content.decode())
    assert cast.other_student.get_full_name() not in filtered
    assert "1 absence aujourd'hui" in filtered and "1 séance commencée avant 10:30 sans appel" in filtered
    # The lessons without a roll call reload themselves every minute, with the page's own filter.
    assert f'hx-get="{desk_url(cast)}?classe={cast.division.pk}" hx-trigger="every 60s"' in filtered


def test_another_schools_division_is_refused_as_a_filter(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    client.force_login(cast.staff)
    response = client.get(desk_url(cast), {"classe": world.b.division.pk})
    assert response.status_code == 200
    assert world.b.division.name not in unescape(response.content.decode())
    assert "Sélectionnez un choix valide" in unescape(response.content.decode())


def test_only_the_office_and_the_direction_open_the_office_pages(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    for name in ("desk", "statistics", "thresholds"):
        url = reverse(f"attendance:{name}", kwargs={"uai": cast.school.uai})
        for person, status in ((cast.staff, 200), (cast.direction, 200), (cast.teacher, 403), (cast.parent, 403)):
            client.force_login(person)
            assert client.get(url).status_code == status, (name, person.username)


def _desk_queries(client, cast: SchoolCast) -> int:  # type: ignore[no-untyped-def]
    client.force_login(cast.staff)
    with max_queries(40) as captured:
        assert client.get(desk_url(cast)).status_code == 200
    return len(application_queries(captured))


def test_the_desk_costs_the_same_queries_for_a_bigger_school(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_day(cast)
    small = _desk_queries(client, cast)
    group = TeachingGroupFactory(school=cast.school, code="ESP", name="Espagnol")
    for index in range(20):
        student = new_student(cast.school, cast.other_division, f"Nouveau{index:02d}")
        if index % 2:
            GroupMembership.unscoped.create(
                school=cast.school, group=group, membership=Membership.unscoped.get(user=student)
            )
        missed = lesson(cast.school, TODAY, (8, 0), (9, 0), divisions=[cast.other_division], groups=[group])
        absent_from(student, missed)
        late(student, lesson(cast.school, TODAY, (9, 0), (10, 0), divisions=[cast.other_division]))
        absent(student, at(day(0), 8), at(day(0), 9))
    assert _desk_queries(client, cast) == small


def build_week(cast: SchoolCast) -> None:
    """Monday to Friday: the division has 4 h, the student 1 h 30 of group more, the other division 1 h."""
    school, division = cast.school, [cast.division]
    group = TeachingGroupFactory(school=school, code="ANG", name="Anglais")
    GroupMembership.unscoped.create(school=school, group=group, membership=cast.student_membership)
    maths = lesson(school, day(0), (8, 0), (9, 0), divisions=division)
    science = lesson(school, day(0), (14, 0), (16, 0), divisions=division)
    french = lesson(school, day(1), (8, 0), (9, 0), divisions=division)
    lesson(school, day(3), (14, 0), (15, 30), groups=[group])
    lesson(school, day(4), (9, 0), (10, 0), divisions=[cast.other_division])
    lesson(school, day(4), (10, 0), (11, 0), divisions=division, cancelled=True)
    absent_from(cast.student, maths)
    absent(cast.student, at(day(0), 13), at(day(0), 17), reason=reasons(school)["MALADIE"])
    assert science.start == datetime.time(14, 0)
    late(cast.classmate, french)
    late(cast.classmate, maths)


def test_statistics_per_division_hand_computed(world: World) -> None:
    cast = world.a
    build_week(cast)
    with school_scope(cast.school):
        stats = division_statistics(school=cast.school, first=day(0), last=day(4))
    rows = {row.label: row for row in stats.divisions}
    ours, other = rows[cast.division.name], rows[cast.other_division.name]
    # Student: 1 + 2 + 1 + 1.5 = 5.5 h expected; classmate 4 h; 3 h missed by the student.
    assert (ours.students, ours.hours_expected, ours.hours_missed) == (2, 9.5, 3.0)
    assert round(ours.absence_rate or 0, 2) == round(100 * 3 / 9.5, 2)
    assert (ours.lateness, ours.half_days_absent, ours.half_days_unjustified) == (2, 2, 1)
    assert (other.students, other.hours_expected, other.hours_missed, other.absence_rate) == (1, 1.0, 0.0, 0.0)
    assert (stats.total.students, stats.total.hours_expected, stats.total.hours_missed) == (3, 10.5, 3.0)


def test_the_statistics_page_for_one_division_lists_its_students(client, world: World) -> None:  # type: ignore[no-untyped-def]
    cast = world.a
    build_week(cast)
    client.force_login(cast.direction)
    url = reverse("attendance:statistics", kwargs={"uai": cast.school.uai})
    page = unescape(
        client.get(
            url, {"du": day(0).isoformat(), "au": day(4).isoformat(), "classe": cast.division.pk}
        ).content.decode()
    )
    assert "31,6 %" in page and "9,5" in page
    assert cast.student.get_full_name() in page and cast.other_student.get_full_name() not in page
    refused = unescape(client.get(url, {"du": day(4).isoformat(), "au": day(0).isoformat()}).content.decode())
    assert "La date de début doit précéder la date de fin." in refused
