"""What the tests that start a real server (gunicorn, PgBouncer, slapd) share: a free port, and
waiting until the server answers on it."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest


def free_port() -> int:
    """A local port nobody listens on: bound by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(server: subprocess.Popen[bytes], port: int, name: str, seconds: float = 30) -> None:
    """Until `server` accepts connections on `port`; the test fails if it stops or never answers."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            pytest.fail(f"{name} stopped (exit status {server.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{name} does not answer on port {port}")
            time.sleep(0.1)
