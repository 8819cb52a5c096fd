"""Shared fixtures: a world of two schools, eager Celery, a clean cache."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from communication.notifications import sms
from ent.celery import app as celery_app
from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache() -> Iterator[None]:
    # Tasks run in-process unless a test starts a real worker (tests/ent/test_celery.py).
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _sms_outbox(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # Text messages stay in memory, as Django's test runner keeps e-mails in `mail.outbox`.
    settings.SMS_BACKEND = "communication.notifications.sms.MemorySmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    # Every test user gets a password; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _no_kept_aaf_parses() -> None:
    # Parses kept from one test to the next (and from one test run to the next, in var/) would
    # make tests depend on their order; the cache's own tests give it a folder of their own.
    # Session-wide, before the module-scoped imports of some test modules.
    django_settings.AAF_PARSE_CACHE_DIR = ""


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def requires_postgres() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: set DATABASE_URL=postgres://...",
    )


def requires_redis() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL=redis://...")
