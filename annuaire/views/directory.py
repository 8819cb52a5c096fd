"""The directory as members see it: their divisions and the people in them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annuaire.permissions import VIEW_DIRECTORY
from annuaire.selectors import access_division, division_members, visible_divisions
from schools.requests import current_school, school_with, signed_in


def directory(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, VIEW_DIRECTORY)
    divisions = visible_divisions(signed_in(request), school).select_related("mef")
    return render(request, "annuaire/directory.html", {"school": school, "divisions": divisions})


def division_detail(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = current_school(request)
    user = signed_in(request)
    division = access_division(user, school, division_id)
    return render(
        request,
        "annuaire/division.html",
        {"school": school, "division": division, **division_members(user, division)},
    )
