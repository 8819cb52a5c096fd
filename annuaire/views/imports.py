"""The directory import history: a school's, for its heads; every school's health, for the city."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annuaire.selectors.imports import (
    HISTORY_PER_PAGE,
    UP_TO_DATE_DAYS,
    city_imports,
    history_rows,
    school_import_history,
)
from schools.access import city_admin_allowed
from schools.permissions import MANAGE_ACCOUNTS, VIEW_CITY_CONSOLE
from schools.requests import school_with, signed_in


@city_admin_allowed  # administration data (dates, counts), no pupil's personal data
@require_GET
def school_history(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, MANAGE_ACCOUNTS)
    page = Paginator(school_import_history(school), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "annuaire/imports/school_history.html",
        {"school": school, "page": page, "rows": history_rows(page.object_list, school=school)},
    )


@login_required
@require_GET
def city_history(request: HttpRequest) -> HttpResponse:
    if not signed_in(request).has_perm(VIEW_CITY_CONSOLE):
        raise PermissionDenied(_("La console de la Ville est réservée aux administrateurs de la Ville de Paris."))
    return render(
        request,
        "annuaire/imports/city_history.html",
        {"imports": city_imports(), "up_to_date_days": UP_TO_DATE_DAYS},
    )
