"""Forms of announcements and of the notification preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Profile
from communication.models import Category, Channel, Digest, NotificationPreferences
from communication.preferences import CATEGORY_DEFAULTS, wanted_channels

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


def channel_field_name(category: str, channel: str) -> str:
    return f"{category}__{channel}"


class PreferencesForm(forms.Form):
    """A checkbox per category and channel, quiet hours, the digest."""

    quiet_start = forms.TimeField(
        label=_("Heures calmes : de"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("à"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Pendant ces heures, courriels et SMS attendent ; les notifications restent visibles dans l'ENT."),
    )
    digest = forms.ChoiceField(label=_("Résumé par courriel"), choices=Digest.choices)

    def __init__(self, *args: Any, prefs: NotificationPreferences, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "digest": prefs.digest,
        }
        for category in Category.values:
            # What applies today: the person's choice, or the sending modules' default.
            current = wanted_channels(prefs, f"{category}.any", CATEGORY_DEFAULTS.get(category, frozenset()))
            for channel in Channel.values:
                initial[channel_field_name(category, channel)] = channel in current
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for category, category_label in Category.choices:
            for channel, channel_label in Channel.choices:
                self.fields[channel_field_name(category, channel)] = forms.BooleanField(
                    label=f"{category_label} : {channel_label}", required=False
                )

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The matrix, one row per category."""
        return [
            (str(label), [self[channel_field_name(category, channel)] for channel in Channel.values])
            for category, label in Category.choices
        ]

    def channels(self) -> dict[str, set[str]]:
        data = self.cleaned_data
        return {
            category: {channel for channel in Channel.values if data.get(channel_field_name(category, channel))}
            for category in Category.values
        }
