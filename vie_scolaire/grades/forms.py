"""Forms of the grades: a new assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vie_scolaire.calendar.forms import date_input
from vie_scolaire.grades.models import Assessment
from vie_scolaire.grades.services.grades import AssessmentData


class AssessmentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=150)
    date = forms.DateField(label=_("Date"), widget=date_input())
    kind = forms.ChoiceField(label=_("Type"), choices=Assessment.Kind.choices, initial=Assessment.Kind.WRITTEN)
    scale = forms.IntegerField(label=_("Barème (sur)"), min_value=1, max_value=99, initial=20)
    coefficient = forms.DecimalField(
        label=_("Coefficient"), min_value=0, max_value=99, max_digits=4, decimal_places=2, initial=1,
        help_text=_("0 : la note n'entre pas dans la moyenne."),
    )  # fmt: skip
    convert_to_20 = forms.BooleanField(label=_("Ramener la note sur 20 dans la moyenne"), required=False)
    bonus = forms.BooleanField(label=_("Bonus : seuls les points au-dessus de la moitié comptent"), required=False)
    optional = forms.BooleanField(label=_("Facultatif : compte seulement s'il améliore la moyenne"), required=False)
    published_to_students_on = forms.DateField(
        label=_("Visible des élèves le"),
        widget=date_input(),
        required=False,
        help_text=_("Par défaut : la date du devoir."),
    )
    published_to_parents_on = forms.DateField(
        label=_("Visible des parents le"),
        widget=date_input(),
        required=False,
        help_text=_("Par défaut : comme pour les élèves."),
    )

    def data_object(self) -> AssessmentData:
        return AssessmentData(**self.cleaned_data)
