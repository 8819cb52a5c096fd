"""Forms of the calendar: the school year, a span of days (a holiday), a period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def date_input() -> forms.DateInput:
    """The browser's date picker, for every form of vie scolaire."""
    # Date inputs read and write ISO dates, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CalendarForm(forms.Form):
    first_day = forms.DateField(label=_("Premier jour de cours"), widget=date_input())
    last_day = forms.DateField(label=_("Dernier jour de cours"), widget=date_input())
    afternoon_starts_at = forms.TimeField(
        label=_("Début de l'après-midi"),
        widget=time_input(),
        help_text=_("Les cours qui commencent à partir de cette heure comptent pour l'après-midi (demi-journées)."),
    )


class SpanForm(forms.Form):
    """A named span of days: a closure, a term, the zone's holidays."""

    name = forms.CharField(label=_("Nom"), max_length=100)
    first_day = forms.DateField(label=_("Premier jour"), widget=date_input())
    last_day = forms.DateField(label=_("Dernier jour"), widget=date_input())


class PeriodForm(SpanForm):
    entry_closes_on = forms.DateField(
        label=_("Fin de la saisie des notes"),
        widget=date_input(),
        required=False,
        help_text=_(
            "Après ce jour, les enseignants ne saisissent plus de notes ; la direction peut repousser la date."
        ),
    )
