"""The timetable's administration: the head's calendar page (days, closures, terms, A/B weeks), the
head's import of the timetable files, and the city's zone holidays for every school."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.access import require_perm
from schools.forms.kit import posted_id
from schools.models import School
from vie_scolaire.calendar import services as calendar_services
from vie_scolaire.calendar.forms import CalendarForm, PeriodForm, SpanForm
from vie_scolaire.calendar.views import requested_school_year
from vie_scolaire.permissions import IMPORT_TIMETABLE, MANAGE_CALENDAR
from vie_scolaire.timetable import services
from vie_scolaire.timetable.forms import RoomForm, SlotForm, TimetableFilesForm
from vie_scolaire.timetable.imports.importer import import_timetable
from vie_scolaire.timetable.selectors import calendar_page


def _posted_monday(request: HttpRequest) -> datetime.date:
    try:
        monday = datetime.date.fromisoformat(request.POST.get("monday", "")[:10])
    except ValueError as error:
        raise ValidationError(_("Semaine inconnue.")) from error
    if monday.weekday() != 0:
        raise ValidationError(_("Semaine inconnue."))
    return monday


def calendar(request: HttpRequest, uai: str) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    require_perm(
        request.user, MANAGE_CALENDAR, school, message=_("Le calendrier de l'établissement est géré par la direction.")
    )
    school_year = requested_school_year(request)
    forms_bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        done = _apply(request, school, school_year, forms_bound)
        if done is not None:
            messages.success(request, done)
            return redirect(f"{request.path}?annee={school_year}")
    page = calendar_page(school, school_year)
    initial = {
        "first_day": page.calendar.first_day,
        "last_day": page.calendar.last_day,
        "afternoon_starts_at": page.calendar.afternoon_starts_at,
    }
    return render(
        request,
        "vie_scolaire/calendar.html",
        {
            "school": school,
            "school_year": school_year,
            "page": page,
            "calendar_form": forms_bound.get("save_calendar") or CalendarForm(initial=initial),
            "holiday_form": forms_bound.get("add_holiday") or SpanForm(prefix="holiday"),
            "period_form": forms_bound.get("add_period") or PeriodForm(prefix="period"),
            "slot_form": forms_bound.get("add_slot") or SlotForm(prefix="slot"),
            "room_form": forms_bound.get("add_room") or RoomForm(prefix="room"),
        },
    )


# The actions that post a form: its class and prefix. The bound form is kept under the action's name, so
# the page shows it again with its errors; the action itself runs only with the form's valid data.
_FORMS: dict[str, tuple[type[forms.Form], str | None]] = {
    "save_calendar": (CalendarForm, None),
    "add_holiday": (SpanForm, "holiday"),
    "add_period": (PeriodForm, "period"),
    "add_slot": (SlotForm, "slot"),
    "add_room": (RoomForm, "room"),
}

# An action: the request, the school, the school year and the posted form's data (empty without a form).
Action = Callable[[HttpRequest, School, int, dict[str, Any]], str]


def _apply(request: HttpRequest, school: School, school_year: int, bound: dict[str, forms.Form]) -> str | None:
    """Run the posted action; answers the success message, or None with the errors shown."""
    action = request.POST.get("action", "")
    try:
        data: dict[str, Any] = {}
        if action in _FORMS:
            form_class, prefix = _FORMS[action]
            form = bound[action] = form_class(request.POST, prefix=prefix)
            if not form.is_valid():
                return None
            data = form.cleaned_data
        return _ACTIONS.get(action, _unknown)(request, school, school_year, data)
    except ValidationError as error:
        target = bound.get(action)
        if target is not None:
            target.add_error(None, error)
        else:
            messages.error(request, " ".join(error.messages))
        return None


def _year_form_action(write: Callable[..., object], done: Promise) -> Action:
    """An action whose service takes the school, the school year and the posted form's fields as they are."""

    def action(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
        write(school=school, school_year=year, **data)
        return str(done)

    return action


def _removal(write: Callable[..., object], id_field: str, done: Promise) -> Action:
    """An action that removes the school's row whose id is posted as `id_field`."""

    def action(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
        write(school=school, **{id_field: posted_id(request, id_field)})
        return str(done)

    return action


def _addition(write: Callable[..., object], done: Promise, name: str) -> Action:
    """An action that adds a row to the school from the posted form's fields; `done` names it as `name`."""

    def action(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
        return str(done) % {name: write(school=school, **data)}

    return action


def _set_entry_closing(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
    raw = request.POST.get("entry_closes_on", "")
    try:
        day = datetime.date.fromisoformat(raw) if raw else None
    except ValueError as error:
        raise ValidationError(_("Date invalide.")) from error
    period = calendar_services.set_entry_closing(
        school=school, period_id=posted_id(request, "period_id"), entry_closes_on=day
    )
    if period.entry_closes_on is None:
        return _("La saisie des notes de « %(name)s » reste ouverte.") % {"name": period.name}
    return _("La saisie des notes de « %(name)s » se clôt le %(date)s.") % {
        "name": period.name,
        "date": period.entry_closes_on.strftime("%d/%m/%Y"),
    }


def _swap_week(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
    monday = _posted_monday(request)
    kind = calendar_services.swap_week(school=school, monday=monday)
    return _("La semaine du %(date)s est désormais une semaine %(kind)s.") % {
        "date": monday.strftime("%d/%m/%Y"),
        "kind": kind,
    }


def _unknown(request: HttpRequest, school: School, year: int, data: dict[str, Any]) -> str:
    raise ValidationError(_("Action inconnue."))


_ACTIONS: dict[str, Action] = {
    "save_calendar": _year_form_action(
        calendar_services.save_calendar,
        gettext_lazy("Les dates de l'année sont enregistrées ; les cours à venir sont recalculés."),
    ),
    "add_holiday": _year_form_action(
        calendar_services.add_holiday,
        gettext_lazy("La fermeture est ajoutée ; les cours de ces jours-là sont retirés."),
    ),
    "remove_holiday": _removal(
        calendar_services.remove_holiday,
        "holiday_id",
        gettext_lazy("La fermeture est retirée ; les cours de ces jours-là sont rétablis."),
    ),
    "add_period": _year_form_action(calendar_services.add_period, gettext_lazy("La période est ajoutée.")),
    "remove_period": _removal(calendar_services.remove_period, "period_id", gettext_lazy("La période est retirée.")),
    "swap_week": _swap_week,
    "set_entry_closing": _set_entry_closing,
    "add_slot": _addition(services.add_time_slot, gettext_lazy("Le créneau %(slot)s est ajouté."), "slot"),
    "remove_slot": _removal(services.remove_time_slot, "slot_id", gettext_lazy("Le créneau est retiré.")),
    "add_room": _addition(services.add_room, gettext_lazy("La salle %(room)s est ajoutée."), "room"),
}


def import_files(request: HttpRequest, uai: str) -> HttpResponse:
    """The head uploads the timetable export, previews what would change, then applies it."""
    school: School = request.school  # type: ignore[attr-defined]
    require_perm(
        request.user,
        IMPORT_TIMETABLE,
        school,
        message=_("L'emploi du temps de l'établissement est importé par la direction."),
    )
    posted = request.method == "POST"
    form = TimetableFilesForm(request.POST, request.FILES) if posted else TimetableFilesForm()
    report = None
    if posted and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="ent-timetable-") as folder:
            paths = [_saved(upload, Path(folder), index) for index, upload in enumerate(form.cleaned_data["export"])]
            report = import_timetable(school=school, paths=paths, dry_run=form.cleaned_data["dry_run"])
    return render(request, "vie_scolaire/import.html", {"school": school, "form": form, "report": report})


def _saved(upload: UploadedFile, folder: Path, index: int) -> Path:
    """Write an upload under a safe name that keeps the original one readable in the report."""
    name = get_valid_filename(Path(upload.name or "").name)[:100] or f"fichier-{index}"
    path = folder / f"{index}-{name}" if (folder / name).exists() else folder / name
    with path.open("wb") as output:
        for chunk in upload.chunks():
            output.write(chunk)
    return path
