"""Forms of the schools app: the services switch, the Django admin's school form, the city console's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from schools.models import School, SchoolService, Wave
from schools.services import clean_external_url
from schools.uai import normalize_uai, validate_uai


class ServiceStateForm(forms.Form):
    """One module's state in one school; rendered once per module, prefixed by the module code."""

    state = forms.ChoiceField(label=_("État du service"), choices=SchoolService.State.choices, widget=forms.RadioSelect)
    external_url = forms.CharField(
        label=_("Adresse de l'outil externe"),
        required=False,
        max_length=SchoolService._meta.get_field("external_url").max_length,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
        help_text=_("Obligatoire si le service est remplacé par un outil externe ; l'adresse commence par https://."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("state") == SchoolService.State.EXTERNAL:
            try:
                cleaned["external_url"] = clean_external_url(cleaned.get("external_url", ""))
            except ValidationError as error:
                self.add_error("external_url", error)
        return cleaned


class SchoolAdminForm(forms.ModelForm):
    """A school created or renamed by hand: the UAI's check letter must be right.

    Imported schools may keep a wrong letter (anonymised rectorat data): editing one
    without touching its UAI does not re-check the letter.
    """

    class Meta:
        model = School
        fields = ("uai", "name", "kind", "status", "wave", "address", "postal_code", "city", "charter")

    def clean_uai(self) -> str:
        uai = normalize_uai(self.cleaned_data["uai"])
        unchanged = self.instance.pk is not None and uai == self.instance.uai
        if not unchanged:
            validate_uai(uai)
        return uai


class CityConsoleFilterForm(forms.Form):
    """The city console's filters (wave, kind); an unknown value is refused with a French message."""

    vague = forms.ModelChoiceField(
        label=_("Vague"),
        queryset=Wave.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("Toutes les vagues"),
        error_messages={"invalid_choice": _("Cette vague n'existe pas : le filtre est ignoré.")},
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Tous les types")), *School.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("Ce type d'établissement n'existe pas : le filtre est ignoré.")},
    )
