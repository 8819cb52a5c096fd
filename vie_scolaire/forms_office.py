"""The forms of the office's pages: the filters (a division, a month, a period) and the school's rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division
from schools.models import School
from vie_scolaire.models import AttendanceSettings
from vie_scolaire.selectors_office import school_divisions

# A longer period would only slow the page down: a school year is the longest that makes sense.
MAX_STATISTICS_DAYS = 366


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Division) -> str:
        return obj.name


def _division_field() -> DivisionChoiceField:
    return DivisionChoiceField(
        label=_("Classe"), queryset=Division.objects.none(), required=False, empty_label=_("Toutes les classes")
    )


class DivisionFilterForm(forms.Form):
    """`?classe=<division id>`: an id of another school's division is refused like an unknown one."""

    classe = _division_field()

    def __init__(self, *args: Any, school: School, school_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classe"].queryset = school_divisions(school, school_year)  # type: ignore[attr-defined]

    def division(self) -> Division | None:
        return self.cleaned_data.get("classe") if self.is_valid() else None


class MonthForm(forms.Form):
    mois = forms.DateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Indiquez un mois sous la forme 2026-11.")},
    )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatisticsForm(DivisionFilterForm):
    du = forms.DateField(label=_("Du"), widget=_date_input())
    au = forms.DateField(label=_("Au"), widget=_date_input())

    field_order = ["du", "au", "classe"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first: datetime.date | None = cleaned.get("du")
        last: datetime.date | None = cleaned.get("au")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
            if (last - first).days >= MAX_STATISTICS_DAYS:
                raise forms.ValidationError(_("Choisissez une période d'une année scolaire au plus."))
        return cleaned


class AttendanceSettingsForm(forms.ModelForm):
    class Meta:
        model = AttendanceSettings
        fields = ["roll_call_opens_before", "absence_notice_delay", "adult_students_may_withhold"]
        help_texts = {
            "roll_call_opens_before": _("Avant, l'appel n'enregistre rien et dit quand il ouvre (0 à 60 minutes)."),
            "absence_notice_delay": _(
                "Un élève noté absent puis présent dans ces minutes ne vaut aucun message à sa famille (0 à 120)."
            ),
            "adult_students_may_withhold": _(
                "Selon le règlement intérieur : l'élève majeur choisit sur sa page des absences."
            ),
        }
