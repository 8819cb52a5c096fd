"""Secret calendar addresses: created and revoked by their owner, read by calendar apps."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from annuaire.models import Guardianship
from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import CalendarFeed, Lesson
from vie_scolaire.timetable.services import LessonChange, change_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _this_week(monkeypatch: pytest.MonkeyPatch) -> None:
    # Feeds carry the last four weeks and the rest of the year from "today": fix today.
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)


def feeds_url(timetable: Timetable) -> str:
    return reverse("timetable:feeds", kwargs={"uai": timetable.cast.school.uai})


def create_feed(client, user, timetable: Timetable, **data: object) -> str:  # type: ignore[no-untyped-def]
    """Create an address through the page, as a person does; answers the path of the address shown once."""
    client.force_login(user)
    content = unescape(client.post(feeds_url(timetable), data).content.decode())
    found = re.search(r'value="http://testserver(/agenda/[^"]+\.ics)"', content)
    assert found, content[:2000]
    return found.group(1)


def events(client, path: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    client.logout()  # a calendar app has no session
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_cancellation_appears_in_the_student_feed(client, timetable: Timetable) -> None:
    cast = timetable.cast
    path = create_feed(client, cast.student, timetable)
    with school_scope(cast.school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
        change_lesson(lesson=lesson, change=LessonChange(reason="Grève", cancelled=True), changed_by=cast.direction)
    found = {str(event["uid"]): event for event in events(client, path)}
    cancelled = found[f"lesson-{lesson.pk}@testserver"]
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]) == "Annulé : Mathématiques"
    assert "Motif : Grève" in str(cancelled["description"])
    assert cancelled.decoded("dtstart") == datetime.datetime(2026, 11, 30, 7, 0, tzinfo=datetime.UTC)  # 8:00 in Paris
    # Only the student's lessons: not another division's.
    subjects = {str(event["summary"]) for event in found.values()}
    assert "Anglais" in subjects  # the group lesson
    with school_scope(cast.school):
        others = set(Lesson.objects.filter(weekly_lesson=timetable.other_division).values_list("pk", flat=True))
    assert not {f"lesson-{pk}@testserver" for pk in others} & set(found)


def test_a_parent_creates_one_feed_per_child_and_a_revoked_feed_answers_404(client, timetable: Timetable) -> None:
    cast = timetable.cast
    path = create_feed(client, cast.parent, timetable, student=cast.student.pk)
    assert events(client, path)
    with school_scope(cast.school):
        feed = CalendarFeed.objects.get(owner=cast.parent)
    assert feed.student == cast.student
    client.force_login(cast.parent)
    revoke = reverse("timetable:feed_revoke", kwargs={"uai": cast.school.uai, "feed_id": feed.pk})
    assert client.post(revoke).status_code == 302
    client.logout()
    assert client.get(path).status_code == 404


def test_a_parent_cannot_make_a_feed_of_another_child(client, timetable: Timetable) -> None:
    cast = timetable.cast
    client.force_login(cast.parent)
    assert client.post(feeds_url(timetable), {"student": cast.classmate.pk}).status_code == 404
    with school_scope(cast.school):
        assert not CalendarFeed.objects.exists()


def test_a_feed_stops_when_its_owner_loses_the_child(client, timetable: Timetable) -> None:
    cast = timetable.cast
    path = create_feed(client, cast.parent, timetable, student=cast.student.pk)
    Guardianship.unscoped.filter(guardian=cast.parent).delete()
    client.logout()
    assert client.get(path).status_code == 404


def test_guessed_keys_answer_404(client, timetable: Timetable) -> None:
    path = create_feed(client, timetable.cast.teacher, timetable)
    client.logout()
    assert client.get(path.replace(path[8:14], "AAAAAA")).status_code == 404
    assert client.get("/agenda/" + "x" * 300 + ".ics").status_code == 404
    assert client.get(path).status_code == 200  # the teacher's own


def test_someone_without_a_timetable_of_their_own_is_told_to_choose_a_child(client, timetable: Timetable) -> None:
    client.force_login(timetable.cast.staff)
    content = unescape(client.post(feeds_url(timetable)).content.decode())
    assert "Vous n'avez pas d'emploi du temps personnel ici" in content
    with school_scope(timetable.cast.school):
        assert not CalendarFeed.objects.exists()
