"""The queue limit in front of the portal: past saturation a fast 503 with Retry-After, and back by itself."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ent.overload import OverloadGuard
from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]


class Gate:
    """An application that holds each request until the test opens the gate."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.inside = threading.Semaphore(0)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.inside.release()
        self.opened.wait(timeout=10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def call(app: Any) -> tuple[str, dict[str, str], bytes]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, start_response))
    return answer["status"], answer["headers"], body


def test_past_the_places_and_the_queue_a_request_is_refused_at_once_then_served_again() -> None:
    gate = Gate()
    guard = OverloadGuard(gate, max_active=2, max_waiting=1, max_wait=10, retry_after=7)
    results: list[str] = []
    callers = [threading.Thread(target=lambda: results.append(call(guard)[0])) for _ in range(3)]
    for caller in callers:
        caller.start()
    assert gate.inside.acquire(timeout=5) and gate.inside.acquire(timeout=5)
    while guard._waiting < 1:  # the third caller is queued behind the two places
        time.sleep(0.01)

    started = time.monotonic()
    status, headers, body = call(guard)
    assert status.startswith("503")
    assert headers["Retry-After"] == "7"
    assert "Réessayez dans quelques secondes".encode() in body
    assert time.monotonic() - started < 0.5

    gate.opened.set()
    for caller in callers:
        caller.join(timeout=5)
    assert results == ["200 OK"] * 3
    assert call(guard)[0] == "200 OK"


def test_a_request_that_waited_past_the_limit_is_refused() -> None:
    gate = Gate()
    guard = OverloadGuard(gate, max_active=1, max_waiting=5, max_wait=0.2, retry_after=3)
    holder = threading.Thread(target=call, args=(guard,))
    holder.start()
    assert gate.inside.acquire(timeout=5)
    started = time.monotonic()
    assert call(guard)[0].startswith("503")
    assert 0.15 < time.monotonic() - started < 2
    gate.opened.set()
    holder.join(timeout=5)


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[int]:
    """The real portal under gunicorn (gthread), one place and no queue, on a scratch database."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "OVERLOAD_MAX_ACTIVE": "1",
        "OVERLOAD_MAX_WAITING": "0",
        "OVERLOAD_RETRY_AFTER": "4",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    command = [sys.executable, "-m", "gunicorn", "ent.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [*command, "--worker-class", "gthread", "--workers", "1", "--threads", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(server, port, "gunicorn")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


def test_gunicorn_answers_503_while_its_one_place_is_held_and_serves_again_after(gunicorn: int) -> None:
    assert get(gunicorn, "/healthz").status == 200
    # A sign-in form posted slowly holds the place: with a CSRF cookie, the check reads the form's
    # token from the body, inside the place.
    slow = socket.create_connection(("127.0.0.1", gunicorn), timeout=10)
    slow.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken=" + b"a" * 32 + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nlogin="
    )
    time.sleep(0.5)
    started = time.monotonic()
    refused = get(gunicorn, "/healthz")
    assert refused.status == 503
    assert refused.getheader("Retry-After") == "4"
    assert time.monotonic() - started < 1

    slow.sendall(b"x" * 34)
    assert slow.recv(64).startswith(b"HTTP/1.1 403")
    slow.close()
    assert get(gunicorn, "/healthz").status == 200
