"""Forms of the messaging pages."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from annuaire.models import Profile
from communication.messaging.models import Reach
from communication.messaging.policy import PROFILES, Policy


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the view reads them with `request.FILES.getlist`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class Words(TypedDict):
    """What a composed message says and to whom, as sending it and keeping it as a draft both take it."""

    recipients: list[str]
    subject: str
    body: str


class ComposeForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label=_("Destinataires"), required=False, widget=forms.CheckboxSelectMultiple
    )
    search = forms.CharField(label=_("Rechercher une personne"), max_length=100, required=False)
    subject = forms.CharField(label=_("Objet"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(label=_("Pièces jointes"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices

    def words(self) -> Words:
        data = self.cleaned_data
        return {"recipients": data["recipients"], "subject": data["subject"], "body": data["body"]}


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Votre réponse"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Pièces jointes"), required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Pourquoi signalez-vous ce message ?"), max_length=1000, required=False)


class SuspensionForm(forms.Form):
    students = forms.BooleanField(label=_("Suspendre l'envoi de messages pour les élèves"), required=False)
    parents = forms.BooleanField(label=_("Suspendre l'envoi de messages pour les parents"), required=False)


def reach_field(sender: str, recipient: str) -> str:
    return f"reach_{sender}_{recipient}"


class PolicyForm(forms.Form):
    """The matrix (one choice per sender and recipient profile), the limits per profile, the parents' option."""

    parents_read_young_children = forms.BooleanField(
        label=_("Les parents peuvent lire les messages de leurs enfants de moins de 15 ans"), required=False
    )

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        initial: dict[str, object] = {"parents_read_young_children": policy.settings.parents_read_young_children}
        for sender in PROFILES:
            limits = policy.limits[sender]
            initial[f"max_recipients_{sender}"] = limits.max_recipients
            initial[f"max_per_minute_{sender}"] = limits.max_per_minute
            for recipient in PROFILES:
                initial[reach_field(sender, recipient)] = policy.reach_of(sender, recipient)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for sender in PROFILES:
            for recipient in PROFILES:
                self.fields[reach_field(sender, recipient)] = forms.ChoiceField(
                    label=_("%(sender)s vers %(recipient)s")
                    % {"sender": Profile(sender).label, "recipient": Profile(recipient).label},
                    choices=Reach.choices,
                )
            self.fields[f"max_recipients_{sender}"] = forms.IntegerField(
                label=_("Destinataires par message au plus (%(profile)s)") % {"profile": Profile(sender).label},
                min_value=1,
                max_value=100_000,
            )
            self.fields[f"max_per_minute_{sender}"] = forms.IntegerField(
                label=_("Envois par minute au plus (%(profile)s)") % {"profile": Profile(sender).label},
                min_value=1,
                max_value=1000,
            )

    def matrix(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Rows of the matrix for the template: the sender's label and the bound fields of its cells."""
        return [
            (str(Profile(sender).label), [self[reach_field(sender, recipient)] for recipient in PROFILES])
            for sender in PROFILES
        ]

    def limit_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(Profile(p).label), self[f"max_recipients_{p}"], self[f"max_per_minute_{p}"]) for p in PROFILES]
