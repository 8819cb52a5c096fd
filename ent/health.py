"""Checks behind /healthz: database, cache, broker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "backend": connection.vendor}
    except Exception as error:  # noqa: BLE001  (any failure means unusable)
        return {"ok": False, "backend": connection.vendor, "error": type(error).__name__}


def _check_cache() -> dict[str, Any]:
    try:
        cache.set("healthz", "ok", 10)
        ok = cache.get("healthz") == "ok"
        return {"ok": ok}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}


def _check_broker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    from ent.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "redis"}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "mode": "redis", "error": type(error).__name__}


def run_checks() -> dict[str, dict[str, Any]]:
    return {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
