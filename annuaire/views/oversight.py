"""Oversight: a school's overview and the city console."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annuaire.oversight import CONSOLE_COLUMNS, DEFAULT_SORT, ConsoleRow, city_console_rows, overview_of, parse_sort
from schools.access import city_admin_allowed
from schools.forms import CityConsoleFilterForm
from schools.numbers import decimal_comma
from schools.permissions import MANAGE_SERVICES, VIEW_CITY_CONSOLE, VIEW_OVERVIEW
from schools.replica import heavy_reads
from schools.requests import school_with, signed_in


@city_admin_allowed
@require_GET
def school_overview(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, VIEW_OVERVIEW)
    return render(
        request,
        "annuaire/oversight/overview.html",
        {
            "school": school,
            "overview": overview_of(school),
            "can_manage_services": signed_in(request).has_perm(MANAGE_SERVICES, school),
        },
    )


@dataclass
class HeaderCell:
    key: str
    label: str | Promise
    numeric: bool
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not the sorted column)


def _header(request: HttpRequest, sort: str, descending: bool) -> list[HeaderCell]:
    cells = []
    for column in CONSOLE_COLUMNS:
        current = column.key == sort
        params = request.GET.copy()
        params.pop("format", None)
        # A second click on the sorted column reverses the order.
        params["tri"] = f"-{column.key}" if current and not descending else column.key
        aria_sort = ("descending" if descending else "ascending") if current else ""
        cells.append(HeaderCell(column.key, column.label, column.numeric, f"?{params.urlencode()}", aria_sort))
    return cells


def _percent(value: float | None) -> str:
    return "" if value is None else decimal_comma(value * 100, 1)


def _csv_cell(value: object) -> str:
    text = str(value)
    # A cell starting with a formula sign would run in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _console_csv(rows: list[ConsoleRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"etablissements-ent-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM lets Excel in French read UTF-8
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [str(column.label) for column in CONSOLE_COLUMNS[:-1]]
        + [_("Comptes (personnes)"), _("Comptes activés"), _("Taux d'activation (%)")]
    )
    for row in rows:
        school = row.school
        writer.writerow(
            [
                _csv_cell(school.uai),
                _csv_cell(school.name),
                school.get_kind_display(),
                _csv_cell(school.wave) if school.wave else "",
                school.get_status_display(),
                *row.profile_counts,
                row.people,
                row.activated_people,
                _percent(row.activation_rate),
            ]
        )
    return response


@login_required
@require_GET
@heavy_reads()
def city_console(request: HttpRequest) -> HttpResponse:
    """Every establishment: wave, status, members per profile, activation; sortable, filterable, CSV."""
    if not signed_in(request).has_perm(VIEW_CITY_CONSOLE):
        raise PermissionDenied(_("La console de la Ville est réservée aux administrateurs de la Ville de Paris."))
    notices = []
    filters = CityConsoleFilterForm(request.GET)
    filters.is_valid()  # a refused filter is left out of cleaned_data and explained on the page
    parsed = parse_sort(request.GET.get("tri", DEFAULT_SORT))
    if parsed is None:
        notices.append(_("Ce tri n'existe pas : la liste est triée par nom."))
        parsed = (DEFAULT_SORT, False)
    sort, descending = parsed
    rows = city_console_rows(
        wave=filters.cleaned_data.get("vague"),
        kind=filters.cleaned_data.get("type") or None,
        sort=sort,
        descending=descending,
    )
    if request.GET.get("format") == "csv":
        return _console_csv(rows)
    csv_params = request.GET.copy()
    csv_params["format"] = "csv"
    return render(
        request,
        "annuaire/oversight/city_console.html",
        {
            "rows": rows,
            "header": _header(request, sort, descending),
            "filters": filters,
            "notices": notices,
            "sort": sort,
            "descending": descending,
            "csv_url": f"?{csv_params.urlencode()}",
        },
    )
