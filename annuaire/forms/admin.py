"""Forms of the heads' administration pages: account search, contact details, local accounts,
delegation grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Profile, User
from annuaire.selectors.admin import AccountState, delegation_candidates, permission_label
from annuaire.services.accounts import (
    EMAIL_MAX_LENGTH,
    LOCAL_PROFILES,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    normalize_email,
    normalize_phone,
)
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


class ContactDetailsForm(forms.Form):
    """A person's e-mail and phone, edited by a head; checked again by the service."""

    email = forms.CharField(
        label=_("Adresse électronique"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Laissez vide si la personne n’en a pas."),
        error_messages={"max_length": _("L’adresse électronique est trop longue.")},
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=PHONE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
        help_text=_("Un numéro français (06 12 34 56 78) ou international (+33 6 12 34 56 78)."),
        error_messages={"max_length": _("Le numéro de téléphone est trop long.")},
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class LocalAccountForm(ContactDetailsForm):
    """An account for someone outside the rectorat's directory."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Saisissez le prénom."), "max_length": _("Le prénom est trop long.")},
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Saisissez le nom."), "max_length": _("Le nom est trop long.")},
    )
    profile = forms.ChoiceField(
        label=_("Profil"),
        choices=[("", _("Choisir un profil")), *((p.value, p.label) for p in LOCAL_PROFILES)],
        error_messages={
            "required": _("Choisissez le profil."),
            "invalid_choice": _("Un compte local est celui d’un enseignant ou d’un membre du personnel."),
        },
    )
    functions = forms.CharField(
        label=_("Fonctions"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « Intervenant théâtre » ou « Service civique » ; séparez-en plusieurs par « ; »."),
        error_messages={"max_length": _("Saisissez au plus 200 caractères.")},
    )

    field_order = ["first_name", "last_name", "profile", "functions", "email", "phone"]
