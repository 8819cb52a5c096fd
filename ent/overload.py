"""A queue limit in front of the portal: past saturation, a fast 503 rather than a time-out.

When every worker thread of a process is busy, further requests wait for a free place for a
short while; when too many already wait, or the wait runs out, they get `503 Service
Unavailable` with `Retry-After` at once, without opening a session or a database connection.
The families' browsers and the phone app retry later instead of piling up behind the
proxy's time-out, and the portal comes back by itself when the load drops: nothing is
remembered between requests but the two counters.

It wraps the WSGI application (`ent.wsgi`), so it runs before any middleware. Each gunicorn
process has its own guard: the limits are per process (`gthread` workers: the number of
threads is the natural `max_active`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

BUSY_PAGE = (
    "<!doctype html><html lang=fr><meta charset=utf-8><title>ENT momentanément surchargé</title>"
    "<h1>L'ENT est très demandé en ce moment</h1>"
    "<p>Votre demande n'a pas pu être traitée tout de suite. Réessayez dans quelques secondes : "
    "rien n'a été perdu ni enregistré.</p></html>"
).encode()


class OverloadGuard:
    """Let `max_active` requests in at once, `max_waiting` more wait up to `max_wait` seconds."""

    def __init__(self, app: WsgiApp, *, max_active: int, max_waiting: int, max_wait: float, retry_after: int) -> None:
        self.app = app
        self.max_waiting = max_waiting
        self.max_wait = max_wait
        self.retry_after = retry_after
        self._places = threading.BoundedSemaphore(max_active)
        self._lock = threading.Lock()
        self._waiting = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not self._enter():
            return self._busy(start_response)
        try:
            # The body is built inside the place: Django renders it before returning.
            return list(self.app(environ, start_response))
        finally:
            self._places.release()

    def _enter(self) -> bool:
        if self._places.acquire(blocking=False):
            return True
        with self._lock:
            if self._waiting >= self.max_waiting:
                return False
            self._waiting += 1
        try:
            return self._places.acquire(timeout=self.max_wait)
        finally:
            with self._lock:
                self._waiting -= 1

    def _busy(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(BUSY_PAGE))),
                ("Retry-After", str(self.retry_after)),
                ("Cache-Control", "no-store"),
            ],
        )
        return [BUSY_PAGE]


def guarded(app: WsgiApp, settings: Any) -> WsgiApp:
    """The application behind its guard, or as it is when the settings turn the guard off."""
    if not settings.OVERLOAD_MAX_ACTIVE:
        return app
    return OverloadGuard(
        app,
        max_active=settings.OVERLOAD_MAX_ACTIVE,
        max_waiting=settings.OVERLOAD_MAX_WAITING,
        max_wait=settings.OVERLOAD_MAX_WAIT,
        retry_after=settings.OVERLOAD_RETRY_AFTER,
    )
