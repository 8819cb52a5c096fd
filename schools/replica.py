"""Heavy reads on a read replica: report cards' figures, exports, statistics, the city's console.

When `DATABASE_REPLICA_URL` names a streaming replica, the reads inside `heavy_reads()` go to
it and everything else stays on the primary. Only read-only work belongs in the block: a
replica lags the primary by a moment, so a row written just before may not be there yet, and
`select_for_update()` cannot run on it. Without a replica the block changes nothing.
The replica carries the primary's row-level security policies; the block gives its connection
the school scope of the moment (schools.tenancy).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

from schools.tenancy import apply_database_scope

REPLICA = "replica"
_heavy: ContextVar[bool] = ContextVar("heavy_reads", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    return _heavy.get() and has_replica()


@contextmanager
def heavy_reads() -> Iterator[None]:
    """Send this block's reads to the replica, when there is one (also a view decorator)."""
    token = _heavy.set(True)
    try:
        if has_replica():
            apply_database_scope(REPLICA)
        yield
    finally:
        _heavy.reset(token)


class ReplicaRouter:
    """Reads to the replica inside `heavy_reads()`; writes, migrations and the rest to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
