"""What every page's layout needs: the navigation, the school switcher, the unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from communication.selectors_notifications import unread_count
from ent.navigation import build_navigation


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": build_navigation(request)}


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count, computed only when a template reads it (cached a minute per person)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
