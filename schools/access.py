"""Permission checks for views: refuse with a message in French."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

F = TypeVar("F", bound=Callable[..., object])


def require_perm(user: Any, perm: str, obj: Any = None, *, message: str = "") -> None:
    """Raise 403 unless `user.has_perm(perm, obj)`; `message` says why, in French, when it helps."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message or _("Vous n'avez pas le droit d'ouvrir cette page."))


def city_admin_allowed(view: F) -> F:
    """Let city admins reach this school page without a membership (no personal data on it)."""
    view.city_admin_allowed = True  # type: ignore[attr-defined]
    return view
