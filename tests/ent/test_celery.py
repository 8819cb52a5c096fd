"""Celery tasks: eagerly in-process, and a round trip through a real worker and the real Redis broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.result import EagerResult, allow_join_result
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.utils import timezone

from annuaire.models import ActivationCode, Membership, Profile
from annuaire.services.activation import issue_activation_code
from annuaire.tasks import purge_expired_activation_codes, school_activation_figures
from ent.celery import app as celery_app
from schools.tasks import TRANSIENT_ERRORS
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def activate(*users):
    for user in users:
        user.activated_at = timezone.now()
        user.save(update_fields=["activated_at"])


def expected_figures(world):
    """School A of the world: 1 head, 1 CPE, 1 teacher, 3 students, 1 parent; some activated below."""
    return {
        "school": world.a.school.uai,
        "profiles": {
            "student": {"members": 3, "activated": 2},
            "parent": {"members": 1, "activated": 0},
            "teacher": {"members": 1, "activated": 1},
            "staff": {"members": 1, "activated": 0},
            "direction": {"members": 1, "activated": 1},
        },
    }


def prepare_figures(world):
    activate(world.a.student, world.a.classmate, world.a.teacher, world.a.direction)
    # Noise that must not count: another school, and an ended membership.
    activate(world.b.student, world.b.parent)
    left = UserFactory()
    activate(left)
    MembershipFactory(school=world.a.school, user=left, profile=Profile.STUDENT, active=False)


# --- Eager (in-process) --------------------------------------------------------------------


@pytest.mark.django_db
def test_school_activation_figures_counts_one_school(world):
    prepare_figures(world)

    result = school_activation_figures.delay(world.a.school.pk)

    assert result.get(timeout=10) == expected_figures(world)


@pytest.mark.django_db
def test_school_activation_figures_runs_inside_the_school_scope(world):
    # Outside any scope, the fail-closed manager refuses to read; the task enters the scope itself.
    from schools.tenancy import ScopeError

    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    figures = school_activation_figures.apply(args=[world.b.school.pk]).get()
    assert figures["school"] == world.b.school.uai
    assert figures["profiles"]["student"]["members"] == 3


@pytest.mark.django_db
def test_school_activation_figures_for_an_unknown_school_does_nothing():
    assert school_activation_figures.apply(args=[987654]).get() is None


@pytest.mark.django_db
def test_a_tenant_task_refuses_a_school_object():
    school = SchoolFactory()
    with pytest.raises(TypeError):
        school_activation_figures.apply(args=[school], throw=True).get()


@pytest.mark.django_db
def test_purge_expired_activation_codes_is_idempotent():
    fresh, stale, used_and_stale = UserFactory(), UserFactory(), UserFactory()
    issue_activation_code(user=fresh)
    issue_activation_code(user=stale)
    issue_activation_code(user=used_and_stale)
    long_ago = timezone.now() - timedelta(days=1)
    ActivationCode.objects.filter(user=stale).update(expires_at=long_ago)
    ActivationCode.objects.filter(user=used_and_stale).update(expires_at=long_ago, used_at=long_ago)

    assert purge_expired_activation_codes.delay().get() == 2
    assert list(ActivationCode.objects.values_list("user", flat=True)) == [fresh.pk]
    assert purge_expired_activation_codes.delay().get() == 0
    assert ActivationCode.objects.count() == 1


def test_tasks_acknowledge_late_and_retry_with_backoff():
    for task in (school_activation_figures, purge_expired_activation_codes):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True
        assert task.retry_backoff
        assert task.max_retries and task.max_retries > 0
        assert set(TRANSIENT_ERRORS) <= set(task.autoretry_for)


def test_purge_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-activation-codes"]
    assert entry["task"] == purge_expired_activation_codes.name
    assert entry["task"] in celery_app.tasks
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {3}


# --- Through a real worker and the real Redis broker -----------------------------------------


def database_url_for_worker() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise AssertionError("the worker needs a database server it can share")
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path) -> Iterator[tuple[str, Path]]:
    """`celery -A ent worker --pool=solo` in a subprocess, on a queue of its own; yields (queue, log file)."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent.settings",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": settings.REDIS_URL,
        "CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "ent", "worker", "--pool=solo", "--loglevel=INFO",
        "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("wb") as output:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield queue, log
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        print(log.read_text(errors="replace")[-3000:])  # shown by pytest when the test fails


@pytest.mark.redis
@pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
    reason="needs the Redis broker and a database the worker process can share: "
    "set REDIS_URL=redis://... and DATABASE_URL=postgres://...",
)
@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_real_worker(world, celery_worker_process):
    prepare_figures(world)  # committed: transaction=True, so the worker sees it
    celery_app.conf.task_always_eager = False  # the autouse fixture sets it back afterwards

    queue, log = celery_worker_process

    result = school_activation_figures.apply_async(args=[world.a.school.pk], queue=queue)

    assert not isinstance(result, EagerResult)
    # An eager task marks the process "inside a task" while it runs and puts back what it found after: two
    # run at once by the browser tests' live server threads can leave the mark behind, which would refuse
    # this test the results it waits for. The test is not inside a task: it says so.
    with allow_join_result():
        assert result.get(timeout=90) == expected_figures(world)
        assert result.successful()
        # The purge goes through the broker too, and finds nothing to delete.
        purge = purge_expired_activation_codes.apply_async(queue=queue)
        assert purge.get(timeout=60) == 0
    worker_log = log.read_text(errors="replace")
    assert f"annuaire.tasks.school_activation_figures[{result.id}] succeeded" in worker_log
