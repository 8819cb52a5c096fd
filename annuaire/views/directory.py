"""The directory as members see it: their divisions and the people in them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annuaire.permissions import VIEW_DIRECTORY
from annuaire.selectors import access_division, division_members, visible_divisions
from schools.access import require_perm


def directory(request: HttpRequest, uai: str) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    require_perm(request.user, VIEW_DIRECTORY, school)
    divisions = visible_divisions(request.user, school).select_related("mef")
    return render(request, "annuaire/directory.html", {"school": school, "divisions": divisions})


def division_detail(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = request.school  # type: ignore[attr-defined]
    division = access_division(request.user, school, division_id)
    return render(
        request,
        "annuaire/division.html",
        {"school": school, "division": division, **division_members(request.user, division)},
    )
