"""Forms of the families' justifications and of the office's decisions: they parse, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from schools.documents import KINDS
from schools.models import School
from vie_scolaire.models import AbsenceReason
from vie_scolaire.selectors_justifications import office_reasons, parent_reasons
from vie_scolaire.services_justifications import COMMENT_MAX_LENGTH

_MAX_ID = 2**63 - 1  # larger ids are forged: refused rather than overflowing the database
_ACCEPT = ",".join([f".{kind.extension}" for kind in KINDS] + [".jpeg", *(kind.content_type for kind in KINDS)])


class IdListField(forms.Field):
    """The ids of the ticked boxes of one name; which ones the user may choose is the service's rule."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        ids = []
        for raw in value or []:
            text = str(raw)
            if not text.isdigit() or int(text) > _MAX_ID:
                raise ValidationError(_("Élément inconnu."))
            ids.append(int(text))
        return ids


def _datetime_input() -> forms.DateTimeInput:
    # datetime-local reads and writes ISO moments, whatever the page's language.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AbsenceReason) -> str:
        return obj.label


def _comment() -> forms.CharField:
    return forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _document() -> forms.FileField:
    return forms.FileField(
        label=_("Justificatif (facultatif)"),
        required=False,
        error_messages={"empty": _("Le justificatif est vide : choisissez un autre fichier.")},
        widget=forms.FileInput(attrs={"accept": _ACCEPT}),
    )


class FamilyForm(forms.Form):
    """What a family gives: a reason the school offers them, a comment, a document."""

    # An empty first choice: nobody sends a reason they did not pick.
    reason = ReasonChoiceField(
        label=_("Motif"), queryset=AbsenceReason.objects.none(), empty_label=_("— choisissez un motif —")
    )
    comment = _comment()
    document = _document()

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = parent_reasons(school)  # type: ignore[attr-defined]
        self.fields["document"].help_text = _("Un PDF ou une photo (PNG, JPEG) de %(limit)s au plus.") % {
            "limit": filesizeformat(settings.ATTENDANCE_DOCUMENT_MAX_BYTES)
        }


class JustifyForm(FamilyForm):
    absences = IdListField(required=False)
    latenesses = IdListField(required=False)


class DeclareForm(FamilyForm):
    starts_at = forms.DateTimeField(label=_("Du"), widget=_datetime_input())
    ends_at = forms.DateTimeField(label=_("Au"), widget=_datetime_input())
    field_order = ["starts_at", "ends_at", "reason", "comment", "document"]


class RecordAbsenceForm(forms.Form):
    """The office records an absence from/to, with its reason when known."""

    starts_at = forms.DateTimeField(label=_("Du"), widget=_datetime_input())
    ends_at = forms.DateTimeField(label=_("Au"), widget=_datetime_input())
    reason = ReasonChoiceField(
        label=_("Motif"), queryset=AbsenceReason.objects.none(), required=False, empty_label=_("— à préciser —")
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = office_reasons(school)  # type: ignore[attr-defined]


class SetReasonForm(forms.Form):
    """The office sets the reason of the ticked absences and lateness, or clears it."""

    absences = IdListField(required=False)
    latenesses = IdListField(required=False)
    reason = ReasonChoiceField(
        label=_("Motif retenu"),
        queryset=AbsenceReason.objects.none(),
        required=False,
        empty_label=_("— aucun (effacer le motif) —"),
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = office_reasons(school)  # type: ignore[attr-defined]


class FamilyFollowForm(forms.Form):
    """An adult student's choice: do their parents follow their attendance?"""

    FOLLOWED, WITHHELD = "followed", "withheld"

    follow = forms.ChoiceField(
        label=_("Qui suit vos absences et retards"),
        choices=[
            (FOLLOWED, _("Mes responsables légaux, comme moi")),
            (WITHHELD, _("Moi seul : mes responsables légaux ne les suivent plus")),
        ],
        widget=forms.RadioSelect,
    )

    def withheld(self) -> bool:
        return self.cleaned_data["follow"] == self.WITHHELD


class DecisionForm(forms.Form):
    """The office's answer to one justification."""

    ACCEPT, REFUSE = "accept", "refuse"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accepter")), (REFUSE, _("Refuser"))])
    reason = ReasonChoiceField(
        label=_("Motif retenu"),
        queryset=AbsenceReason.objects.none(),
        required=False,
        empty_label=_("— celui de la famille —"),
    )
    message = forms.CharField(
        label=_("Message à la famille"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un refus."),
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = office_reasons(school).filter(justifies=True)  # type: ignore[attr-defined]
