"""What every page's layout needs: the navigation, the school switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ent.navigation import build_navigation


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": build_navigation(request)}
