"""The head's calendar page and the city's zone holidays: days, closures, terms, A/B weeks."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import MONDAY, YEAR, Timetable
from tests.world import World
from vie_scolaire.models import Holiday, Lesson, Period, Room, TimeSlot

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY + datetime.timedelta(days=1)


def page_url(timetable: Timetable) -> str:
    return reverse("timetable_admin:calendar", kwargs={"uai": timetable.cast.school.uai}) + f"?annee={YEAR}"


def post(client, timetable: Timetable, **data: object):  # type: ignore[no-untyped-def]
    client.force_login(timetable.cast.direction)
    return client.post(page_url(timetable), {"annee": YEAR, **data})


def lessons_on(timetable: Timetable, day: datetime.date) -> int:
    with school_scope(timetable.cast.school):
        return Lesson.objects.filter(date=day).count()


@pytest.fixture(autouse=True)
def _today_is_before_the_week(monkeypatch: pytest.MonkeyPatch) -> None:
    # Calendar changes regenerate the lessons from today on: put today before the week tested.
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 2))


def test_a_closure_removes_that_days_lessons_and_removing_it_brings_them_back(client, timetable: Timetable) -> None:
    assert lessons_on(timetable, TUESDAY) == 1
    response = post(
        client,
        timetable,
        action="add_holiday",
        **{"holiday-name": "Journée pédagogique", "holiday-first_day": "2026-12-01", "holiday-last_day": "2026-12-01"},
    )
    assert response.status_code == 302
    assert lessons_on(timetable, TUESDAY) == 0
    content = unescape(client.get(page_url(timetable)).content.decode())
    assert "Journée pédagogique" in content and "la Ville (zone C)" in content  # Toussaint, from the city
    with school_scope(timetable.cast.school):
        closure = Holiday.objects.get(name="Journée pédagogique")
        toussaint = Holiday.objects.get(name="Toussaint")
    assert post(client, timetable, action="remove_holiday", holiday_id=closure.pk).status_code == 302
    assert lessons_on(timetable, TUESDAY) == 1
    # The zone's holidays are the city's: the head cannot remove them.
    response = post(client, timetable, action="remove_holiday", holiday_id=toussaint.pk, follow=True)
    assert "saisies par la Ville" in unescape(response.content.decode())
    with school_scope(timetable.cast.school):
        assert Holiday.objects.filter(pk=toussaint.pk).exists()


def test_swapping_a_week_swaps_its_a_and_b_lessons_only(client, timetable: Timetable) -> None:
    with school_scope(timetable.cast.school):
        assert Lesson.objects.get(date=TUESDAY).weekly_lesson == timetable.week_b
    assert post(client, timetable, action="swap_week", monday=MONDAY.isoformat()).status_code == 302
    with school_scope(timetable.cast.school):
        assert Lesson.objects.get(date=TUESDAY).weekly_lesson == timetable.week_a
        assert Lesson.objects.get(date=TUESDAY + datetime.timedelta(days=7)).weekly_lesson == timetable.week_a
    content = unescape(client.get(page_url(timetable)).content.decode())
    assert "inversée" in content
    # Swapping it again gives the week back its usual kind.
    post(client, timetable, action="swap_week", monday=MONDAY.isoformat())
    with school_scope(timetable.cast.school):
        assert Lesson.objects.get(date=TUESDAY).weekly_lesson == timetable.week_b


def year_dates(first: str, last: str) -> dict[str, str]:
    return {"action": "save_calendar", "first_day": first, "last_day": last, "afternoon_starts_at": "12:00"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (year_dates("2027-07-01", "2026-09-01"), "Le dernier jour doit suivre le premier jour."),
        (year_dates("2030-09-01", "2031-07-01"), "Les dates doivent appartenir à l'année scolaire 2026-2027."),
        ({"action": "add_period", "period-name": "", "period-first_day": "2026-09-01", "period-last_day": "2026-11-30"},
         "Ce champ est obligatoire."),
        ({"action": "swap_week", "monday": "2026-10-20"}, "Semaine inconnue."),
        ({"action": "swap_week", "monday": "2026-10-19"}, "Cette semaine n'a pas de cours"),
        ({"action": "remove_period", "period_id": "99999999999999999999999"}, "Élément inconnu."),
        ({"action": "drop_everything"}, "Action inconnue."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_french_and_changes_nothing(
    client, timetable: Timetable, data: dict[str, str], message: str
) -> None:
    before = lessons_on(timetable, TUESDAY)
    response = post(client, timetable, follow=True, **data)
    assert message in unescape(response.content.decode())
    assert lessons_on(timetable, TUESDAY) == before
    with school_scope(timetable.cast.school):
        assert not Period.objects.exists()


def test_terms_are_added_and_overlaps_refused(client, timetable: Timetable) -> None:
    span = {"period-first_day": "2026-09-01", "period-last_day": "2026-11-30"}
    assert post(client, timetable, action="add_period", **{"period-name": "Trimestre 1"}, **span).status_code == 302
    response = post(
        client,
        timetable,
        action="add_period",
        **{"period-name": "Trimestre 2", "period-first_day": "2026-11-15", "period-last_day": "2027-02-28"},
    )
    assert "Cette période chevauche « Trimestre 1 »." in unescape(response.content.decode())
    with school_scope(timetable.cast.school):
        assert list(Period.objects.values_list("name", flat=True)) == ["Trimestre 1"]


def test_only_heads_manage_the_calendar(client, timetable: Timetable) -> None:
    for person in (timetable.cast.staff, timetable.cast.teacher, timetable.cast.student):
        client.force_login(person)
        assert client.get(page_url(timetable)).status_code == 403


def test_the_city_enters_the_zone_holidays_for_every_school(
    client, world: World, timetable: Timetable, django_capture_on_commit_callbacks
) -> None:
    city = reverse("city_holidays") + f"?annee={YEAR}"
    client.force_login(world.city_admin)
    data = {
        "annee": YEAR,
        "action": "add",
        "name": "Vacances de Noël",
        "first_day": "2026-11-30",
        "last_day": "2026-12-04",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(city, data).status_code == 302
    for cast in (world.a, world.b):
        assert Holiday.unscoped.filter(school=cast.school, name="Vacances de Noël", from_city=True).count() == 1
    assert lessons_on(timetable, TUESDAY) == 0  # school A's lessons of that week are gone (task run eagerly)
    content = unescape(client.get(city).content.decode())
    assert "Vacances de Noël" in content
    # Adding it twice adds nothing; removing it brings the lessons back everywhere.
    again = unescape(client.post(city, data, follow=True).content.decode())
    assert "déjà saisies dans tous les établissements" in again
    removal = {"annee": YEAR, "action": "remove", "remove-name": "Vacances de Noël"}
    removal |= {"remove-first_day": "2026-11-30", "remove-last_day": "2026-12-04"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(city, removal).status_code == 302
    assert not Holiday.unscoped.filter(name="Vacances de Noël").exists()
    assert lessons_on(timetable, TUESDAY) == 1
    # Heads and everyone else are refused.
    client.force_login(world.a.direction)
    assert client.get(city).status_code == 403
    assert client.post(city, data).status_code == 403


def test_the_slot_grid_and_the_rooms_are_completed_by_hand(client, timetable: Timetable) -> None:
    slot = {"slot-code": "m1", "slot-start": "08:00", "slot-end": "08:55"}
    assert post(client, timetable, action="add_slot", **slot).status_code == 302
    overlapping = {"slot-code": "M2", "slot-start": "08:30", "slot-end": "09:25"}
    assert "Ce créneau chevauche M1 08:00–08:55." in unescape(
        post(client, timetable, action="add_slot", **overlapping).content.decode()
    )
    backwards = {"slot-code": "S1", "slot-start": "14:00", "slot-end": "13:00"}
    assert "L'heure de fin doit suivre l'heure de début." in unescape(
        post(client, timetable, action="add_slot", **backwards).content.decode()
    )
    assert post(client, timetable, action="add_room", **{"room-code": "Gym", "room-name": "Gymnase"}).status_code == 302
    assert "La salle CDI existe déjà." in unescape(
        post(client, timetable, action="add_room", **{"room-code": "cdi"}).content.decode()
    )
    with school_scope(timetable.cast.school):
        assert list(TimeSlot.objects.values_list("code", flat=True)) == ["M1"]
        assert Room.objects.filter(code="Gym", name="Gymnase").exists()
        slot_id = TimeSlot.objects.get().pk
    assert post(client, timetable, action="remove_slot", slot_id=slot_id).status_code == 302
    with school_scope(timetable.cast.school):
        assert not TimeSlot.objects.exists()


def test_the_head_closes_and_reopens_grade_entry_of_a_period(client, timetable: Timetable) -> None:
    from tests.factories import AssessmentFactory

    span = {"period-name": "Trimestre 1", "period-first_day": "2026-09-01", "period-last_day": "2026-11-30"}
    post(client, timetable, action="add_period", **span, **{"period-entry_closes_on": "2026-12-05"})
    with school_scope(timetable.cast.school):
        period = Period.objects.get()
    assert period.entry_closes_on == datetime.date(2026, 12, 5)
    response = post(client, timetable, action="set_entry_closing", period_id=period.pk, entry_closes_on="2026-12-12")
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.entry_closes_on == datetime.date(2026, 12, 12)
    too_early = post(client, timetable, action="set_entry_closing", period_id=period.pk, entry_closes_on="2026-08-01")
    assert "ne peut pas se clore avant le début" in unescape(too_early.content.decode())
    period.refresh_from_db()
    assert period.entry_closes_on == datetime.date(2026, 12, 12)
    # A period with assessments stays.
    AssessmentFactory(school=timetable.cast.school, assignment=timetable.cast.assignment, period=period)
    response = post(client, timetable, action="remove_period", period_id=period.pk, follow=True)
    assert "a déjà des évaluations" in unescape(response.content.decode())
    with school_scope(timetable.cast.school):
        assert Period.objects.filter(pk=period.pk).exists()
