"""Forms of announcements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Profile

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_field(label: Any, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=help_text,
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000)
    whole_school = forms.BooleanField(label=_("Tout l'établissement"), required=False)
    profiles = forms.MultipleChoiceField(
        label=_("Ou des profils"), choices=Profile.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    divisions = forms.ModelMultipleChoiceField(
        label=_("Ou des classes"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Une classe s'adresse à ses élèves, à leurs responsables légaux et à ses enseignants."),
    )
    publish_at = _moment_field(_("Publication le"), True)
    expires_at = _moment_field(_("Expiration le"), False, _("Laissez vide pour une actualité sans fin."))

    def __init__(self, *args: Any, divisions: QuerySet[Division], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"publish_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = divisions  # type: ignore[attr-defined]


class ApprovalSettingForm(forms.Form):
    approval_required = forms.BooleanField(
        label=_("Les actualités des délégués attendent la validation"), required=False
    )
