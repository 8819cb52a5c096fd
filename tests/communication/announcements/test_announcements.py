"""Announcements: audience, publication and expiry, approval, the fan-out, the home page, the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from annuaire.models import Profile
from communication.announcements.selectors import audience_user_ids, current_announcements
from communication.announcements.services import (
    fan_out,
    review_announcement,
    set_approval_required,
    write_announcement,
)
from communication.models import Announcement, AnnouncementRead, AnnouncementSettings, Notification
from schools.tenancy import school_scope
from tests.budgets import max_queries
from tests.factories import MembershipFactory, UserFactory
from tests.world import SchoolCast

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def write(cast: SchoolCast, **fields: object) -> Announcement:
    values: dict[str, object] = {
        "school": cast.school, "author": cast.direction, "title": "Sortie au musée", "body": "Jeudi 14 h.",
        "publish_at": timezone.now() - HOUR,
    }  # fmt: skip
    values.update(fields)
    # The fan-out is queued once the transaction commits: run those callbacks as a commit would.
    with school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
        return write_announcement(**values)  # type: ignore[arg-type]


def seen_by(cast: SchoolCast, user: object) -> list[str]:
    with school_scope(cast.school):
        return [a.title for a in current_announcements(user, cast.school, timezone.now())]


def test_a_division_reaches_its_students_their_parents_and_its_teachers(world):
    a = world.a
    announcement = write(a, divisions=[a.division])
    with school_scope(a.school):
        reached = set(audience_user_ids(announcement))
    assert reached == {a.student.pk, a.classmate.pk, a.parent.pk, a.teacher.pk}
    assert seen_by(a, a.parent) == ["Sortie au musée"]
    assert seen_by(a, a.other_student) == []
    assert seen_by(a, a.staff) == []


def test_profiles_and_the_whole_school(world):
    a = world.a
    write(a, title="Conseil pédagogique", profiles=[Profile.TEACHER, Profile.STAFF])
    write(a, title="Fermeture", whole_school=True, publish_at=timezone.now() - 2 * HOUR)
    assert seen_by(a, a.teacher) == ["Conseil pédagogique", "Fermeture"]  # newest first
    assert seen_by(a, a.student) == ["Fermeture"]
    # Another school's people see none of it.
    assert seen_by(world.b, world.b.teacher) == []


def test_publication_and_expiry_dates(world):
    a = world.a
    now = timezone.now()
    write(a, title="Plus tard", whole_school=True, publish_at=now + HOUR)
    write(a, title="Expirée", whole_school=True, publish_at=now - 3 * HOUR, expires_at=now - HOUR)
    write(a, title="En cours", whole_school=True, publish_at=now - HOUR, expires_at=now + HOUR)
    assert seen_by(a, a.student) == ["En cours"]
    # Nobody was told of the later one yet: the beat sweep fans it out when it comes due.
    with school_scope(a.school):
        assert not Notification.objects.filter(title="Plus tard").exists()


def test_the_fan_out_notifies_the_audience_once_even_when_run_again(world):
    a = world.a
    announcement = write(a, divisions=[a.division])  # eager Celery: fanned out at commit
    with school_scope(a.school):
        told = sorted(Notification.objects.filter(kind="announcement.published").values_list("recipient", flat=True))
        assert told == sorted([a.student.pk, a.classmate.pk, a.parent.pk, a.teacher.pk])
        assert fan_out(school=a.school, announcement_id=announcement.pk) == 0
        assert Notification.objects.filter(kind="announcement.published").count() == 4


def test_an_interrupted_fan_out_resumes_after_its_last_batch(world):
    a = world.a
    with school_scope(a.school):
        set_approval_required(school=a.school, required=True, changed_by=a.direction)
    MembershipFactory(school=a.school, user=a.staff, profile=Profile.DIRECTION)  # staff may now approve
    pending = write(a, author=world.a.direction, whole_school=True)
    with school_scope(a.school):
        # The cursor says the first two recipients were notified before the worker died.
        ids = sorted(audience_user_ids(pending))
        Announcement.objects.filter(pk=pending.pk).update(notified_at=None, fanout_cursor=ids[1])
        Notification.objects.all().delete()
        assert fan_out(school=a.school, announcement_id=pending.pk, batch=2) == len(ids) - 2
        told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == set(ids[2:])


def test_approval_step(world):
    a = world.a
    delegate = a.staff
    with school_scope(a.school):
        set_approval_required(school=a.school, required=True, changed_by=a.direction)
    from annuaire.services.delegations import grant_delegation

    with school_scope(a.school):
        grant_delegation(
            school=a.school, user=delegate, permission="communication.write_announcements", granted_by=a.direction
        )
    pending = write(a, author=delegate, whole_school=True, title="Kermesse")
    assert pending.status == Announcement.Status.PENDING
    assert seen_by(a, a.student) == []
    # The head's own announcements need no approval.
    assert write(a, whole_school=True, title="Rentrée").status == Announcement.Status.PUBLISHED
    with school_scope(a.school), pytest.raises(PermissionDenied):
        review_announcement(announcement=pending, reviewer=delegate, approve=True)
    with school_scope(a.school), TestCase.captureOnCommitCallbacks(execute=True):
        review_announcement(announcement=pending, reviewer=a.direction, approve=True)
    with school_scope(a.school):
        assert Notification.objects.filter(title="Kermesse", recipient=a.student).count() == 1
    assert seen_by(a, a.student) == ["Rentrée", "Kermesse"]  # by publication date, not approval


def test_writing_needs_the_right(world):
    with pytest.raises(PermissionDenied):
        write(world.a, author=world.a.teacher, whole_school=True)


def test_home_page_shows_current_announcements_newest_first_with_read_state(world, client: Client):
    a = world.a
    older = write(a, title="Plus ancienne", whole_school=True, publish_at=timezone.now() - 3 * HOUR)
    write(a, title="Plus récente", whole_school=True)
    client.force_login(a.student)
    client.get(reverse("announcements:detail", kwargs={"uai": a.school.uai, "announcement_id": older.pk}))
    page = client.get(reverse("school_home", kwargs={"uai": a.school.uai})).content.decode()
    assert page.index("Plus récente") < page.index("Plus ancienne")
    with school_scope(a.school):
        assert AnnouncementRead.objects.filter(user=a.student).count() == 1
        states = {x.title: x.is_read for x in current_announcements(a.student, a.school, timezone.now())}
    assert states == {"Plus ancienne": True, "Plus récente": False}


def test_pages_write_approve_and_list(world, client: Client):
    a = world.a
    AnnouncementSettings.unscoped.create(school=a.school, approval_required=False)
    client.force_login(a.direction)
    url = reverse("announcements:new", kwargs={"uai": a.school.uai})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "Réunion", "body": "Parents de 5e", "divisions": [a.division.pk],
         "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("announcements:list", kwargs={"uai": a.school.uai})).content.decode()
    assert "Réunion" in page
    client.force_login(a.student)
    assert client.get(reverse("announcements:new", kwargs={"uai": a.school.uai})).status_code == 403


def test_list_page_query_budget_does_not_grow(world, client: Client):
    a = world.a
    client.force_login(a.direction)
    url = reverse("announcements:list", kwargs={"uai": a.school.uai})
    write(a, whole_school=True)
    client.get(url)
    with max_queries(14) as few:
        client.get(url)
    for index in range(10):
        write(a, title=f"Info {index}", divisions=[a.division], profiles=[Profile.PARENT])
    with max_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_api_lists_current_announcements_for_the_user(world, client: Client):
    a = world.a
    write(a, title="Pour la 5e", divisions=[a.division])
    write(a, title="Pour les profs", profiles=[Profile.TEACHER])
    client.force_login(a.student)
    response = client.get(f"/api/v1/{a.school.uai}/announcements/")
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Pour la 5e"]
    assert response.json()["results"][0]["is_read"] is False
    client.force_login(world.b.student)
    assert client.get(f"/api/v1/{a.school.uai}/announcements/").status_code == 403


def test_a_thousand_recipients_fan_out_outside_the_request(world, client: Client, settings):
    """The author's request records the announcement; the notifications come from the task."""
    from ent.celery import app as celery_app

    a = world.a
    users = UserFactory.create_batch(50)
    for user in users:
        MembershipFactory(school=a.school, user=user, profile=Profile.PARENT)
    celery_app.conf.task_always_eager = False  # no broker in this test: the task is queued, not run
    settings.CELERY_BROKER_URL = "memory://"
    client.force_login(a.direction)
    with max_queries(40):
        response = client.post(
            reverse("announcements:new", kwargs={"uai": a.school.uai}),
            {"title": "Grève", "body": "Pas de cantine", "whole_school": "on",
             "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        )  # fmt: skip
    assert response.status_code == 302
    with school_scope(a.school):
        assert not Notification.objects.filter(title="Grève").exists()
        announcement = Announcement.objects.get(title="Grève")
        assert fan_out(school=a.school, announcement_id=announcement.pk, batch=16) == 57
