"""The vie scolaire office's pages: the desk of the day, per-division statistics, the legal count.

Student names stay unlinked here until the per-student history (`attendance:student`) exists.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schools.forms.kit import saved
from schools.models import School
from schools.numbers import decimal_comma
from schools.pdf import pdf_writer
from schools.replica import heavy_reads
from schools.requests import school_with
from schools.years import school_year_of
from vie_scolaire.attendance.forms import AttendanceSettingsForm, DivisionFilterForm, MonthForm, StatisticsForm
from vie_scolaire.attendance.selectors.office import (
    REFERRAL_THRESHOLD,
    SERIOUS_THRESHOLD,
    MonthCount,
    attendance_settings,
    division_statistics,
    month_thresholds,
    office_desk,
)
from vie_scolaire.attendance.services.office import set_attendance_settings
from vie_scolaire.permissions import MANAGE_ATTENDANCE, SET_ATTENDANCE_RULES


def office_page(request: HttpRequest, school: School, template: str, tab: str, context: dict[str, Any]) -> HttpResponse:
    """An office page with its tabs: the rules tab shows to whoever may set the school's rules."""
    tabs = {"school": school, "tab": tab, "can_set_rules": request.user.has_perm(SET_ATTENDANCE_RULES, school)}
    return render(request, template, {**context, **tabs})


@require_GET
def desk(request: HttpRequest, uai: str) -> HttpResponse:
    """Today's absences and lateness, the unjustified ones of the last days, the roll calls not taken."""
    school = school_with(request, MANAGE_ATTENDANCE)
    now = timezone.localtime()
    filters = DivisionFilterForm(request.GET, school=school, school_year=school_year_of(now.date()))
    division = filters.division()
    page = office_desk(school=school, now=now, division=division)
    context = {"desk": page, "filters": filters, "division": division, "now": now}
    return office_page(request, school, "vie_scolaire/office_desk.html", "desk", context)


@require_GET
@heavy_reads()
def statistics(request: HttpRequest, uai: str) -> HttpResponse:
    """Per division over a period: absence rate, lateness, hours missed, unjustified half-days."""
    school = school_with(request, MANAGE_ATTENDANCE)
    today = timezone.localdate()
    # Without dates, the month so far.
    data = request.GET.copy()
    data.setdefault("du", today.replace(day=1).isoformat())
    data.setdefault("au", today.isoformat())
    form = StatisticsForm(data, school=school, school_year=school_year_of(today))
    figures = None
    if form.is_valid():
        figures = division_statistics(
            school=school, first=form.cleaned_data["du"], last=form.cleaned_data["au"], division=form.division()
        )
    context = {"form": form, "figures": figures, "division": form.division()}
    return office_page(request, school, "vie_scolaire/office_statistics.html", "statistics", context)


@require_GET
def thresholds(request: HttpRequest, uai: str) -> HttpResponse:
    """The students at 4 and at 10 unjustified half-days in a month; CSV and PDF for the DASEN."""
    school = school_with(request, MANAGE_ATTENDANCE)
    form = MonthForm(request.GET if "mois" in request.GET else None)
    month = form.cleaned_data["mois"] if form.is_bound and form.is_valid() else timezone.localdate()
    count = month_thresholds(school=school, month=month)
    output = request.GET.get("format")
    if output == "csv":
        return _thresholds_csv(count)
    context = {
        "school": school,
        "form": form,
        "count": count,
        "referral_threshold": REFERRAL_THRESHOLD,
        "serious_threshold": SERIOUS_THRESHOLD,
        "tab": "thresholds",
    }
    if output == "pdf":
        write_pdf = pdf_writer()
        if write_pdf is not None:
            return _thresholds_pdf(request, school, count, context, write_pdf)
        messages.error(request, _("L'impression en PDF n'est pas disponible sur ce serveur : exportez le CSV."))
    return office_page(request, school, "vie_scolaire/office_thresholds.html", "thresholds", context)


def rules(request: HttpRequest, uai: str) -> HttpResponse:
    """The school's attendance rules: the roll call's opening, the families' notice, adult students."""
    school = school_with(request, SET_ATTENDANCE_RULES)
    form = AttendanceSettingsForm(request.POST or None, instance=attendance_settings(school))
    if request.method == "POST" and saved(
        request,
        form,
        lambda: set_attendance_settings(school=school, **form.cleaned_data),
        _("Les règles de la vie scolaire sont enregistrées."),
    ):
        return redirect("attendance:rules", uai=school.uai)
    return office_page(request, school, "vie_scolaire/office_rules.html", "rules", {"form": form})


def _filename(count: MonthCount, extension: str) -> str:
    return f"demi-journees-non-justifiees-{count.first:%Y-%m}.{extension}"


def _csv_cell(value: object) -> str:
    text = str(value)
    # A cell starting with a formula sign would run in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _thresholds_csv(count: MonthCount) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(count, "csv")}"'
    response.write("\ufeff")  # the BOM lets spreadsheet software read UTF-8
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Nom"),
            _("Prénom"),
            _("Classe"),
            _("Demi-journées non justifiées"),
            _("Demi-journées d'absence"),
            _("Heures manquées"),
            _("Seuil atteint"),
        ]
    )
    for threshold, rows in ((SERIOUS_THRESHOLD, count.serious), (REFERRAL_THRESHOLD, count.referral)):
        for row in rows:
            user, division = row.membership.user, row.membership.division
            writer.writerow(
                [
                    _csv_cell(user.last_name),
                    _csv_cell(user.first_name),
                    _csv_cell(division.name if division else ""),
                    row.half_days_unjustified,
                    row.half_days_absent,
                    decimal_comma(row.hours_missed, 1),
                    threshold,
                ]
            )
    return response


def _thresholds_pdf(
    request: HttpRequest, school: School, count: MonthCount, context: dict[str, Any], write_pdf: Any
) -> HttpResponse:
    html = render_to_string(
        "vie_scolaire/office_thresholds_pdf.html",
        {**context, "printed_on": timezone.localdate(), "month": count.first},
        request=request,
    )
    response = HttpResponse(write_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(count, "pdf")}"'
    return response
