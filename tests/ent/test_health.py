"""/healthz: database, cache and broker state as JSON; 503 as soon as one is unusable."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.urls import reverse

from ent.celery import app as celery_app

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nobody listens on: bound by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_broker() -> Iterator[str]:
    """The real Celery app pointed at a Redis broker on a closed port, as if Redis were down."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield url
    finally:
        celery_app.conf.broker_url = previous


def test_health_reports_every_check_ok(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["backend"] in {"sqlite", "postgresql"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_needs_no_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200


def test_health_is_503_when_the_broker_is_unreachable(client, unreachable_broker):
    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["mode"] == "redis"
    assert body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True


def test_health_is_503_when_the_cache_fails(client):
    broken_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=broken_cache):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"ok": False, "error": body["checks"]["cache"]["error"]}
    assert body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True
