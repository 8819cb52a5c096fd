"""The calendar's page of the city: the zone's holidays, entered once for every school."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.years import school_year_of
from vie_scolaire.calendar import services
from vie_scolaire.calendar.forms import SpanForm
from vie_scolaire.calendar.selectors import zone_holidays
from vie_scolaire.permissions import MANAGE_ZONE_HOLIDAYS


def requested_school_year(request: HttpRequest) -> int:
    """`?annee=` (the rentrée's year) when sensible, else the current school year."""
    current = school_year_of(timezone.localdate())
    raw = request.POST.get("annee") or request.GET.get("annee", "")
    if raw.isdigit() and current - 1 <= int(raw) <= current + 1:
        return int(raw)
    return current


@login_required
def city_holidays(request: HttpRequest) -> HttpResponse:
    """The zone's holidays, entered once for every school of the city."""
    if not request.user.has_perm(MANAGE_ZONE_HOLIDAYS):
        raise PermissionDenied(_("Les vacances de la zone sont saisies par l'administration de la Ville."))
    school_year = requested_school_year(request)
    form = SpanForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        message = _apply_city(request, school_year, form)
        if message:
            messages.success(request, message)
            return redirect(f"{request.path}?annee={school_year}")
    context: dict[str, Any] = {"school_year": school_year, "holidays": zone_holidays(school_year), "form": form}
    return render(request, "vie_scolaire/city_holidays.html", context)


def _apply_city(request: HttpRequest, school_year: int, form: SpanForm) -> str | None:
    try:
        if request.POST.get("action") == "add":
            if not form.is_valid():
                return None
            count = services.add_zone_holiday(school_year=school_year, **form.cleaned_data)
            if not count:
                return _("Ces vacances étaient déjà saisies dans tous les établissements : rien n'a changé.")
            return ngettext(
                "Vacances ajoutées dans %(count)d établissement ; son emploi du temps est recalculé.",
                "Vacances ajoutées dans %(count)d établissements ; leurs emplois du temps sont recalculés.",
                count,
            ) % {"count": count}
        removed = SpanForm(request.POST, prefix="remove")
        if not removed.is_valid():
            raise ValidationError(_("Vacances inconnues."))
        count = services.remove_zone_holiday(school_year=school_year, **removed.cleaned_data)
        return ngettext(
            "Vacances retirées de %(count)d établissement.", "Vacances retirées de %(count)d établissements.", count
        ) % {"count": count}
    except ValidationError as error:
        form.add_error(None, error)
        return None
