"""The refusals every app shares, each with a message in French: 403 for a right not held, 404 for an
object out of reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

F = TypeVar("F", bound=Callable[..., object])


def require_perm(user: Any, perm: str, obj: Any = None, *, message: str = "") -> None:
    """Raise 403 unless `user.has_perm(perm, obj)`; `message` says why, in French, when it helps."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message or _("Vous n'avez pas le droit d'ouvrir cette page."))


def not_found(message: str) -> NoReturn:
    """Refuse with 404 saying `message`: what every `access_<thing>` fetcher answers for an object that is
    absent, in another school or forbidden alike, so an id reveals nothing. Pages show `message`; DRF
    turns it into the JSON `detail`."""
    raise Http404(message)


def city_admin_allowed(view: F) -> F:
    """Let city admins reach this school page without a membership (no personal data on it)."""
    view.city_admin_allowed = True  # type: ignore[attr-defined]
    return view
