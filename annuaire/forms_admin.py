"""Forms of the heads' administration pages: account search, delegation grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Profile, User
from annuaire.selectors import AccountState, delegation_candidates, permission_label
from schools.models import School
from schools.permissions import DELEGABLE_PERMISSIONS


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom ou identifiant"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Saisissez au plus 100 caractères.")},
    )
    profile = forms.ChoiceField(
        label=_("Profil"),
        required=False,
        choices=[("", _("Tous les profils")), *Profile.choices],
        error_messages={"invalid_choice": _("Ce profil n'existe pas.")},
    )
    division: forms.ModelChoiceField[Division] = forms.ModelChoiceField(
        label=_("Classe"),
        required=False,
        queryset=Division.objects.none(),
        empty_label=_("Toutes les classes"),
        error_messages={"invalid_choice": _("Cette classe n'existe pas dans l'établissement.")},
    )
    state = forms.ChoiceField(
        label=_("État du compte"),
        required=False,
        choices=[("", _("Tous les états")), *AccountState.choices],
        error_messages={"invalid_choice": _("Cet état n'existe pas.")},
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(school=school).order_by(  # type: ignore[attr-defined]
            "-school_year", "name"
        )

    def filters(self) -> dict[str, Any]:
        """The valid filters only: a bad value is reported and ignored, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "profile": data.get("profile") or "",
            "division": data.get("division"),
            "state": data.get("state") or "",
        }


class DelegateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj.get_full_name()} ({obj.username})"


class DelegationForm(forms.Form):
    person = DelegateChoiceField(
        label=_("Personne"),
        queryset=User.objects.none(),
        empty_label=_("Choisir une personne"),
        help_text=_("Un membre du personnel ou un enseignant en activité dans l'établissement."),
        error_messages={
            "required": _("Choisissez la personne qui recevra le droit."),
            "invalid_choice": _(
                "Cette personne n'est pas un membre du personnel ou un enseignant en activité dans l'établissement."
            ),
        },
    )
    permission = forms.ChoiceField(
        label=_("Droit délégué"),
        choices=[],
        error_messages={
            "required": _("Choisissez le droit à déléguer."),
            "invalid_choice": _("Ce droit ne peut pas être délégué."),
        },
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = delegation_candidates(school)  # type: ignore[attr-defined]
        self.fields["permission"].choices = [  # type: ignore[attr-defined]
            ("", _("Choisir un droit")),
            *((perm, permission_label(perm)) for perm in DELEGABLE_PERMISSIONS),
        ]
