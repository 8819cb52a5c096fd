"""The portal's WSGI application with the two floor views in front (`bench.load.calibration`).

Served by gunicorn in `make load` only, so that the portal's pages and their floors are
measured on the same server, the same processes and the same connections' settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bench.load.calibration import calibration, hello
from ent.wsgi import application as portal

FLOORS = {"/bench/hello": hello, "/bench/calibration": calibration}


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    floor = FLOORS.get(environ.get("PATH_INFO", ""))
    return floor(environ, start_response) if floor else portal(environ, start_response)
