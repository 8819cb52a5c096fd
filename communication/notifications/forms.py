"""The form of a person's notification preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from communication.notifications.models import Category, Channel, Digest, NotificationPreferences
from communication.notifications.preferences import CATEGORY_DEFAULTS, wanted_channels


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
