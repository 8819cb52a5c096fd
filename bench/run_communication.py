"""Communication benchmark on PostgreSQL: an announcement to 1,000 recipients, a digest for 100,000 people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ent python -m bench.run_communication

Creates a throwaway database (`ent_bench_communication`, through Django's test-database machinery) on
the server of `DATABASE_URL`. First a school of 1,000 members: the head posts an announcement to the
whole school through the page (the author's request: the fan-out is only queued), then the fan-out
task runs (1,000 notifications in batches). Then 100,000 people who chose the daily digest, each with
three unread notifications: the digest run is timed, run again with tracemalloc for its peak memory
(Python allocations), and a third time in the same period (idempotent: nothing sent). E-mails go to
Django's dummy backend, so the figures are the ENT's own work, not a mail server's.
Prints a Markdown table and appends it to docs/performance.md.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import tracemalloc
from typing import Any

from bench.harness import on_postgres, record_entry, run_in_throwaway_database, setup_django, verdict

BENCH_DB = "ent_bench_communication"
MEMBERS = 1_000
PEOPLE = 100_000
PER_PERSON = 3
REQUEST_TARGET_SECONDS = 0.5
DIGEST_TARGET_MIB = 100


def build_school(members: int) -> tuple[Any, Any]:
    from annuaire.models import Membership, Profile, User
    from schools.models import School

    school = School.objects.create(uai="0750998Y", name="Collège des actualités", kind=School.Kind.COLLEGE)
    head = User.objects.create(username="principal.bench", email="principal@example.org")
    people = User.objects.bulk_create(
        User(username=f"membre.{i}", email=f"membre.{i}@example.org") for i in range(members - 1)
    )
    Membership.objects.bulk_create(
        [Membership(school=school, user=head, profile=Profile.DIRECTION)]
        + [Membership(school=school, user=p, profile=Profile.PARENT) for p in people],
        batch_size=5000,
    )
    return school, head


def measure_announcement(school: Any, head: Any) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from communication.models import Announcement, Notification
    from communication.tasks import fan_out_announcement
    from ent.celery import app as celery_app

    client = Client()
    client.force_login(head)
    celery_app.conf.task_always_eager = False  # queued on the in-memory broker: the request does not run it
    started = time.perf_counter()
    response = client.post(
        reverse("announcements:new", kwargs={"uai": school.uai}),
        {"title": "Grève", "body": "Pas de cantine jeudi.", "whole_school": "on",
         "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    request_seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    celery_app.conf.task_always_eager = True
    announcement = Announcement.unscoped.get(school=school, title="Grève")
    started = time.perf_counter()
    notified = fan_out_announcement.apply(args=(school.pk, announcement.pk)).get()
    fan_out_seconds = time.perf_counter() - started
    assert Notification.unscoped.filter(school=school, kind="announcement.published").count() == notified
    return {"request": request_seconds, "fan_out": fan_out_seconds, "notified": notified}


def build_digest_people(school: Any, people: int) -> None:
    from django.utils import timezone

    from annuaire.models import User
    from communication.models import Digest, Notification, NotificationPreferences

    created = timezone.now() - datetime.timedelta(hours=3)
    for start in range(0, people, 10_000):
        users = User.objects.bulk_create(
            User(username=f"famille.{i}", email=f"famille.{i}@example.org", first_name="Camille")
            for i in range(start, min(start + 10_000, people))
        )
        NotificationPreferences.objects.bulk_create(NotificationPreferences(user=u, digest=Digest.DAILY) for u in users)
        Notification.objects.bulk_create(
            (
                Notification(school=school, recipient=u, kind="timetable.changed", title=f"Cours déplacé {n}")
                for u in users
                for n in range(PER_PERSON)
            ),
            batch_size=10_000,
        )
    Notification.objects.filter(school=school, kind="timetable.changed").update(created_at=created)


def measure_digest() -> dict[str, float]:
    from django.utils import timezone

    from communication.models import DigestSent
    from communication.notifications.services.digest import send_digests
    from schools.tenancy import cross_school

    moment = timezone.now()
    with cross_school():
        started = time.perf_counter()
        first = send_digests(frequency="daily", moment=moment)
        digest_seconds = time.perf_counter() - started
        DigestSent.objects.all().delete()
        tracemalloc.start()
        started = time.perf_counter()
        send_digests(frequency="daily", moment=moment)
        traced_seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        again = send_digests(frequency="daily", moment=moment)
        again_seconds = time.perf_counter() - started
    return {
        "digest_people": first.people, "digest_sent": first.sent, "digest_batches": first.batches,
        "digest_seconds": digest_seconds, "digest_traced_seconds": traced_seconds, "digest_peak_mib": peak / 2**20,
        "again_sent": again.sent, "again_seconds": again_seconds,
    }  # fmt: skip


def run() -> dict[str, float]:
    from django.conf import settings
    from django.db import connection

    from schools.tenancy import school_scope

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    school, head = build_school(MEMBERS)
    figures = measure_announcement(school, head)
    with school_scope(school):
        started = time.perf_counter()
        build_digest_people(school, PEOPLE)
        figures["setup_seconds"] = time.perf_counter() - started
    figures |= measure_digest()
    assert connection.vendor == "postgresql"
    return figures


def table(f: dict[str, float]) -> str:
    request = verdict(f["request"] < REQUEST_TARGET_SECONDS)
    memory = verdict(f["digest_peak_mib"] < DIGEST_TARGET_MIB)
    again = verdict(f["again_sent"] == 0)
    per_second = f["digest_sent"] / f["digest_seconds"]
    return "\n".join(
        [
            "| Measure | Value | Target | |",
            "|---|---|---|---|",
            f"| Announcement to the whole school: the author's request (fan-out queued) | "
            f"{f['request'] * 1000:.0f} ms | < {REQUEST_TARGET_SECONDS * 1000:.0f} ms | {request} |",
            f"| Fan-out task: {f['notified']:,.0f} notifications, batches of 500 | {f['fan_out']:.2f} s |  |  |",
            f"| Digest: people with the daily digest / e-mails sent / batches of 1,000 | {f['digest_people']:,.0f} / "
            f"{f['digest_sent']:,.0f} / {f['digest_batches']:,.0f} |  |  |",
            f"| Digest run: time ({PER_PERSON} unread notifications each) | {f['digest_seconds']:.1f} s "
            f"({per_second:,.0f} e-mails/s) |  |  |",
            f"| Digest run under tracemalloc: peak Python memory (time) | {f['digest_peak_mib']:.1f} MiB "
            f"({f['digest_traced_seconds']:.1f} s) | < {DIGEST_TARGET_MIB} MiB | {memory} |",
            f"| Digest run again in the same period: e-mails sent (time) | {f['again_sent']:.0f} "
            f"({f['again_seconds']:.1f} s) | 0 | {again} |",
        ]
    )


def main() -> int:
    if not on_postgres("communication"):
        return 2
    os.environ.pop("REDIS_URL", None)  # the fan-out is queued in memory and run in-process, timed apart
    setup_django()
    figures, server = run_in_throwaway_database(BENCH_DB, run)
    record_entry(
        f"communication, an announcement to {MEMBERS:,} people, a digest for {PEOPLE:,}", server, table(figures)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
