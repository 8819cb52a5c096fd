"""Permission checks for views: refuse with a message in French."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """Raise 403 unless `user.has_perm(perm, obj)`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("Vous n'avez pas le droit d'ouvrir cette page."))
