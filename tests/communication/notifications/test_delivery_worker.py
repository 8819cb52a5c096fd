"""Delivery exactly once when a real Celery worker is killed mid-task, on the real Redis broker.

The first worker sends two e-mails of five, then dies (SIGKILL) before the third: its task was not
acknowledged (acks late), Redis gives it to the second worker once its visibility timeout passes, and
the rerun sends the three others only. Each e-mail is a file of Django's file backend.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from communication.models import Notification
from communication.tasks import deliver_notifications
from ent.celery import app as celery_app
from tests.communication.notifications.backends import sent_message_ids
from tests.ent.test_celery import BASE_DIR, database_url_for_worker
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
        reason="needs the Redis broker and a database the worker processes can share: "
        "set REDIS_URL=redis://... and DATABASE_URL=postgres://...",
    ),
]
DIE_AFTER = 2
COUNT = 5


def start_worker(queue: str, outbox: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent.settings",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": settings.REDIS_URL,
        "CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        "EMAIL_BACKEND": "tests.communication.notifications.backends.DyingFileBackend",
        "ENT_TEST_OUTBOX": str(outbox),
        "ENT_TEST_DIE_AFTER": str(DIE_AFTER),
        # A killed worker's task comes back after 3 s, looked for every second.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "ent", "worker", "--pool=solo", "--loglevel=INFO",
        "-Q", queue, "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat",
    ]  # fmt: skip
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_delivers_each_e_mail_exactly_once(world, tmp_path: Path):
    school = world.a.school
    people = UserFactory.create_batch(COUNT)
    for person in people:
        MembershipFactory(school=school, user=person, profile="parent")
    notifications = Notification.unscoped.bulk_create(
        Notification(school=school, recipient=p, kind="attendance.absent", title=f"Absence {p.pk}", outbox="email")
        for p in people
    )
    ids = [n.pk for n in notifications]
    outbox, log = tmp_path / "outbox", tmp_path / "workers.log"
    outbox.mkdir()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    celery_app.conf.task_always_eager = False  # the autouse fixture sets it back afterwards
    first = start_worker(queue, outbox, log)
    second = None
    try:
        deliver_notifications.apply_async(args=[school.pk, ids, ["email"]], queue=queue)
        assert wait_for(lambda: first.poll() is not None, 90), "the first worker was not killed"
        assert first.returncode == -signal.SIGKILL
        assert len(sent_message_ids(outbox)) == DIE_AFTER
        # The third notification was locked when the worker died: its transaction rolled back.
        assert Notification.unscoped.filter(pk__in=ids, emailed_at__isnull=False).count() == DIE_AFTER

        second = start_worker(queue, outbox, log)
        assert wait_for(lambda: len(sent_message_ids(outbox)) == COUNT, 90), "the task was not redelivered"
        assert wait_for(lambda: not Notification.unscoped.filter(pk__in=ids).exclude(outbox="").exists(), 30)
        time.sleep(3)  # long enough for a duplicate to show
        message_ids = sent_message_ids(outbox)
        assert sorted(message_ids) == sorted(f"<notification-{pk}-email@127.0.0.1>" for pk in ids)
        assert Notification.unscoped.filter(pk__in=ids, emailed_at__lte=timezone.now()).count() == COUNT
    finally:
        stop(first)
        if second is not None:
            stop(second)
        print(log.read_text(errors="replace")[-4000:])
