"""Celery tasks that run for one school, like a request does.

`tenant_task` turns `func(school, ...)` into a task that receives a school id (never an
object: the message is JSON and the school may have changed since), reloads the school,
and runs `func` inside `school_scope(school)`, so the fail-closed managers filter on it.
Every task of the project is idempotent, acknowledges late (a worker lost mid-task gives
the message back) and retries transient failures (database or broker hiccups) with an
exponential backoff. `TASK_OPTIONS` holds those options for cross-school tasks too.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from celery import shared_task
from celery.app.task import Task
from django.db import InterfaceError, OperationalError, transaction
from django.utils.module_loading import import_string

from schools.models import School
from schools.tenancy import school_scope

logger = logging.getLogger(__name__)

R = TypeVar("R")

# Failures worth another try: the database or the broker was briefly out of reach.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def task_options(**overrides: Any) -> dict[str, Any]:
    return {**TASK_OPTIONS, **overrides}


def tenant_task(**options: Any) -> Callable[[Callable[..., R]], Task]:
    """Decorator: `@tenant_task()` on `def work(school, ...)` gives the task `work.delay(school_id, ...)`.

    A school that no longer exists is logged and skipped (the task returns None): there is
    nothing left to do for it, and retrying would not change that.
    """

    def decorator(func: Callable[..., R]) -> Task:
        name = options.pop("name", f"{func.__module__}.{func.__name__}")

        def run(school_id: int, *args: Any, **kwargs: Any) -> R | None:
            if isinstance(school_id, School):
                raise TypeError("a tenant task receives a school id, never a School object")
            school = School.objects.filter(pk=school_id).first()
            if school is None:
                logger.warning("task %s: no school with id %s, nothing to do", name, school_id)
                return None
            with school_scope(school):
                return func(school, *args, **kwargs)

        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__module__ = func.__module__
        run.__doc__ = func.__doc__
        task: Task = shared_task(name=name, **task_options(**options))(run)
        return task

    return decorator


def start_after_commit(task: str, *args: Any, eta: datetime.datetime | None = None) -> None:
    """Start the task named by its dotted path once the current transaction commits (at once outside one).

    Services name their tasks rather than import them: a tasks module imports the services it wraps, so
    the import the other way would be a cycle. A task given a moment (`eta`) must still check that its
    work is due when it runs: eager tasks (no broker) run at once, whatever the moment.
    """

    def start() -> None:
        import_string(task).apply_async(args, eta=eta)

    transaction.on_commit(start)
