"""Notifications: preferences and quiet hours, delivery once, the digest, the notification center, the API."""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from communication.models import Digest, DigestSent, Notification, NotificationPreferences
from communication.notifications import sms
from communication.notifications.services.delivery import deliver
from communication.notifications.services.digest import period_key, send_digests
from communication.notifications.services.notices import EMAIL, SMS, Notice, notify_each
from communication.tasks import deliver_waiting_notifications
from schools.tenancy import cross_school, school_scope
from tests.budgets import max_queries
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
BOTH = frozenset({EMAIL, SMS})


def send(cast, users, kind="attendance.absent", channels=BOTH):
    with school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
        return notify_each(
            school=cast.school, kind=kind, notices=[Notice(u, f"Avis {u.pk}") for u in users], channels=channels
        )


def prefs(user, **fields):
    return NotificationPreferences.objects.create(user=user, **fields)


def quiet_around_now() -> dict[str, datetime.time]:
    now = timezone.localtime()
    start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    return {"quiet_start": start, "quiet_end": end}


def test_without_preferences_the_modules_channels_apply(world):
    parent = world.a.parent
    parent.phone = "0600000000"
    parent.save()
    send(world.a, [parent])
    assert [m.to for m in mail.outbox] == [[parent.email]]
    assert [m.to for m in sms.outbox] == ["0600000000"]


def test_a_category_turned_off_by_e_mail_is_not_e_mailed_and_in_app_off_is_recorded_read(world):
    parent = world.a.parent
    prefs(parent, channels={"absence": ["sms"]})
    records = send(world.a, [parent])
    assert mail.outbox == []
    assert records[0].read_at is not None  # recorded, already read: no badge
    # A category the person opted in for by e-mail goes out even when the module asked nothing.
    prefs(world.a.student, channels={"homework": ["app", "email"]})
    send(world.a, [world.a.student], kind="homework.given", channels=frozenset())
    assert [m.to for m in mail.outbox] == [[world.a.student.email]]


def test_quiet_hours_hold_e_mail_and_sms_then_the_sweep_sends(world):
    parent = world.a.parent
    pref = prefs(parent, **quiet_around_now())
    records = send(world.a, [parent])
    assert mail.outbox == []
    assert records[0].read_at is None  # in-app is always recorded
    with school_scope(world.a.school):
        assert Notification.objects.get(pk=records[0].pk).outbox == "email,sms"  # held, both
    # The quiet hours end; the sweep finds it (once its grace period is over) and sends it, once.
    NotificationPreferences.objects.filter(pk=pref.pk).update(quiet_start=None, quiet_end=None)
    Notification.unscoped.filter(pk=records[0].pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert deliver_waiting_notifications.delay().get() == 1
    assert deliver_waiting_notifications.delay().get() == 0
    assert len(mail.outbox) == 1 and sms.outbox == []  # no phone number: the SMS leaves the outbox unsent
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<notification-{records[0].pk}-email@")


def test_delivery_run_twice_sends_nothing_more(world):
    records = send(world.a, [world.a.parent, world.a.teacher])
    with school_scope(world.a.school):
        assert deliver(school=world.a.school, notification_ids=[r.pk for r in records]) == 0
    assert len(mail.outbox) == 2


def test_a_failed_send_stays_in_the_outbox_for_the_retry(world, settings):
    settings.EMAIL_BACKEND = "tests.communication.notifications.backends.RefusingBackend"
    # Eager Celery: the task's automatic retry surfaces as `Retry`; a worker would try again later.
    with pytest.raises((OSError, Retry)):
        send(world.a, [world.a.parent], channels=frozenset({EMAIL}))
    with school_scope(world.a.school):
        notification = Notification.objects.get(recipient=world.a.parent)
        assert notification.outbox == "email" and notification.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with school_scope(world.a.school):
        assert deliver(school=world.a.school, notification_ids=[notification.pk]) == 1


# --- digest ------------------------------------------------------------------------------------


def digest_people(count: int, school) -> list:
    people = UserFactory.create_batch(count)
    for person in people:
        MembershipFactory(school=school, user=person, profile="parent")
        prefs(person, digest=Digest.DAILY)
    return people


def test_digest_in_batches_one_e_mail_per_person_and_period(world):
    people = digest_people(5, world.a.school)
    quiet = people[4]  # nothing unread: no e-mail
    with school_scope(world.a.school):
        notify_each(
            school=world.a.school, kind="timetable.changed", notices=[Notice(p, "Cours déplacé") for p in people[:4]]
        )
    with school_scope(world.b.school):
        MembershipFactory(school=world.b.school, user=people[0], profile="parent")
        notify_each(school=world.b.school, kind="grades.published", notices=[Notice(people[0], "Nouvelle note")])
    moment = timezone.now() + datetime.timedelta(seconds=1)
    with cross_school():
        figures = send_digests(frequency=Digest.DAILY, moment=moment, batch=2)
    assert (figures.batches, figures.people, figures.sent, figures.nothing) == (3, 5, 4, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:4])
    first = next(m for m in mail.outbox if m.to == [people[0].email])
    assert "Cours déplacé" in first.body and "Nouvelle note" in first.body  # both schools in one e-mail
    assert quiet.email not in [m.to[0] for m in mail.outbox]
    # Run again in the same period: nothing more.
    with cross_school():
        again = send_digests(frequency=Digest.DAILY, moment=moment, batch=2)
    assert (again.sent, again.already) == (0, 4)
    assert len(mail.outbox) == 4
    assert DigestSent.objects.filter(period=period_key(Digest.DAILY, timezone.localdate(moment))).count() == 4


def test_next_digest_lists_only_what_came_since(world):
    (person,) = digest_people(1, world.a.school)
    with school_scope(world.a.school):
        notify_each(school=world.a.school, kind="timetable.changed", notices=[Notice(person, "Ancien")])
    moment = timezone.now() + datetime.timedelta(seconds=1)
    with cross_school():
        send_digests(frequency=Digest.DAILY, moment=moment)
    with school_scope(world.a.school):
        notify_each(school=world.a.school, kind="timetable.changed", notices=[Notice(person, "Nouveau")])
        Notification.objects.filter(title="Nouveau").update(created_at=moment + datetime.timedelta(hours=1))
    with cross_school():
        send_digests(frequency=Digest.DAILY, moment=moment + datetime.timedelta(days=1))
    assert "Ancien" not in mail.outbox[1].body and "Nouveau" in mail.outbox[1].body


def test_digests_are_scheduled_by_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["daily-notification-digest"]["args"] == ("daily",)
    assert schedule["weekly-notification-digest"]["schedule"].day_of_week == {1}


# --- the notification center ---------------------------------------------------------------------


def test_center_lists_across_schools_unread_first_and_marks_read(world, client: Client):
    parent = world.a.parent
    MembershipFactory(school=world.b.school, user=parent, profile="parent")
    with school_scope(world.a.school):
        older = notify_each(school=world.a.school, kind="timetable.changed", notices=[Notice(parent, "Ancienne A")])[0]
    with school_scope(world.b.school):
        notify_each(school=world.b.school, kind="timetable.changed", notices=[Notice(parent, "Récente B")])
    Notification.unscoped.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(parent)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Récente B") < page.index("Ancienne A")
    assert 'class="badge">2<' in client.get(reverse("notifications:count")).content.decode()  # the header's badge
    client.post(reverse("notifications:read", kwargs={"notification_id": older.pk}))
    api = client.get("/api/v1/notifications/").json()["results"]
    assert [(row["title"], row["unread"]) for row in api] == [("Récente B", True), ("Ancienne A", False)]
    assert [row["title"] for row in client.get("/api/v1/notifications/?unread=1").json()["results"]] == ["Récente B"]
    client.post(reverse("notifications:read_all"))
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []


def test_someone_elses_notification_is_not_found(world, client: Client):
    with school_scope(world.a.school):
        theirs = notify_each(school=world.a.school, kind="timetable.changed", notices=[Notice(world.a.student, "x")])[0]
    client.force_login(world.a.parent)
    assert client.post(reverse("notifications:read", kwargs={"notification_id": theirs.pk})).status_code == 404
    assert Notification.unscoped.get(pk=theirs.pk).read_at is None


def test_center_query_budget_does_not_grow(world, client: Client):
    parent = world.a.parent
    client.force_login(parent)
    send(world.a, [parent], channels=frozenset())
    with max_queries(8) as few:
        client.get(reverse("notifications:list"))
    for _index in range(20):
        send(world.a, [parent], channels=frozenset())
    with max_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


def test_preferences_page_saves_the_matrix_quiet_hours_and_digest(world, client: Client):
    client.force_login(world.a.parent)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(
        reverse("notifications:preferences"),
        {"absence__app": "on", "absence__sms": "on", "grade__email": "on", "quiet_start": "21:00",
         "quiet_end": "07:00", "digest": "weekly"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = NotificationPreferences.objects.get(user=world.a.parent)
    assert saved.channels["absence"] == ["app", "sms"] and saved.channels["grade"] == ["email"]
    assert saved.digest == "weekly" and saved.quiet_start == datetime.time(21)
