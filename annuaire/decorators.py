"""Markers a view carries for the tenant middleware."""

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


def city_admin_allowed(view: F) -> F:
    """Let city admins reach this school page without a membership (no personal data on it)."""
    view.city_admin_allowed = True  # type: ignore[attr-defined]
    return view
