"""gunicorn's settings for the portal (Docker image, compose stack, `make load`).

Threads (gthread) rather than one process per request: a process keeps a few spare threads to
answer 503 at once when the overload guard (ent.overload) lets no more requests in, instead of
leaving them in the kernel's queue until the proxy times out. The guard's places
(OVERLOAD_MAX_ACTIVE) are what runs at once; the threads above them wait or refuse.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# A worker stuck longer than this is restarted; pages answer in well under a second.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# Recycled now and then, so that a slow leak in one request path cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None


def post_worker_init(worker: object) -> None:
    """Load the URL configuration and the most read templates before the first request: a cold
    worker's first pages take a second or more, which under load the overload guard would refuse."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for name in ("ent/school_home.html", "ent/home.html", "account/login.html"):
        get_template(name)
