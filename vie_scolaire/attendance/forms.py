"""Forms of the families' justifications and of the office's decisions: they parse, the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division
from schools.documents import KINDS
from schools.models import School
from vie_scolaire.attendance.models import AbsenceReason, AttendanceSettings
from vie_scolaire.attendance.selectors.justifications import office_reasons, parent_reasons
from vie_scolaire.attendance.selectors.office import school_divisions
from vie_scolaire.attendance.services.checks import COMMENT_MAX_LENGTH

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
