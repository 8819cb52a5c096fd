"""Forms of the directory: sign-in (allauth's, in our words) and first-login activation."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from annuaire.models import User
from annuaire.services.tokens import NAME_MAX_LENGTH
from schools.models import School

PASSWORD_POLICY_HELP = _(
    "Au moins 12 caractères. Toutes les lettres, accents, chiffres, espaces et symboles sont "
    "acceptés, et aucune combinaison n'est imposée : une phrase de passe longue et facile à "
    "retenir est un bon choix. Les mots de passe trop courants sont refusés."
)

DEFAULT_CHARTER = _(
    "En utilisant l'Espace Numérique de Travail (ENT), je m'engage à :\n"
    "• garder mon identifiant et mon mot de passe pour moi seul et ne jamais les communiquer ;\n"
    "• respecter les autres utilisateurs : pas de propos injurieux, diffamatoires, "
    "discriminatoires ou de harcèlement ;\n"
    "• ne publier ni transmettre que des contenus dont j'ai le droit de disposer, dans le "
    "respect du droit à l'image, de la vie privée et du droit d'auteur ;\n"
    "• utiliser l'ENT pour la vie scolaire et les échanges avec l'établissement ;\n"
    "• signaler au secrétariat de l'établissement toute utilisation anormale de mon compte.\n"
    "Les données personnelles sont traitées par la Ville de Paris et l'établissement pour les "
    "seuls besoins du service, conformément au règlement général sur la protection des données."
)


def _new_password_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


# --- allauth's forms, in our words (ACCOUNT_FORMS) -------------------------------------------


class LoginForm(allauth_forms.LoginForm):
    """Identifier or e-mail, and password; labels in place of placeholders."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Identifiant ou adresse e-mail")
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
        password = self.fields["password"]
        password.label = _("Mot de passe")
        password.help_text = ""  # the page links to the reset itself, next to the activation link
        password.widget.attrs.pop("placeholder", None)


class _PolicyHelpMixin:
    """The CNIL password policy said in plain French on every field that sets a password."""

    fields: dict[str, forms.Field]

    def _explain_policy(self) -> None:
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name == "password1":
                field.help_text = PASSWORD_POLICY_HELP


class ChangePasswordForm(_PolicyHelpMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = ""
        self._explain_policy()


class SetPasswordForm(_PolicyHelpMixin, allauth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._explain_policy()


class ResetPasswordKeyForm(_PolicyHelpMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._explain_policy()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Adresse e-mail")
        email.widget.attrs.pop("placeholder", None)

    def clean_email(self) -> str:
        email = super().clean_email()
        # A first sign-in goes through activation, where the person accepts the charter:
        # an account never activated gets no reset link (the answer looks the same).
        self.users = [user for user in self.users if user.activated_at is not None]  # type: ignore[has-type]
        return email


# --- First-login activation -----------------------------------------------------------------


class ActivationCodeForm(forms.Form):
    """Step 1: the identifier and the one-time code printed on the activation letter."""

    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        help_text=_("Il figure sur votre lettre d'activation, par exemple « marie.dupont »."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Code d'activation"),
        max_length=30,
        help_text=_("10 caractères, tirets et espaces facultatifs, par exemple « ABCDE-23456 »."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ActivationPasswordForm(forms.Form):
    """Step 2: a password that follows the policy, and the charter of each school."""

    password1 = _new_password_field(_("Nouveau mot de passe"))
    password2 = _new_password_field(_("Confirmation du mot de passe"))

    def __init__(self, *args: Any, user: User, schools: list[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.schools = schools
        self.fields["password1"].help_text = PASSWORD_POLICY_HELP
        for school in schools:
            self.fields[self.charter_field_name(school)] = forms.BooleanField(
                label=_("J'ai lu et j'accepte la charte d'usage de l'ENT de %(school)s.") % {"school": school.name},
                error_messages={
                    "required": _("Vous devez accepter la charte d'usage de %(school)s.") % {"school": school.name}
                },
            )

    @staticmethod
    def charter_field_name(school: School) -> str:
        return f"charter_{school.pk}"

    def charters(self) -> list[dict[str, Any]]:
        """Each school with its charter text (the default one when the school wrote none) and its checkbox."""
        return [
            {
                "school": school,
                "text": school.charter.strip() or DEFAULT_CHARTER,
                "field": self[self.charter_field_name(school)],
            }
            for school in self.schools
        ]

    def password_fields(self) -> list[forms.BoundField]:
        return [self["password1"], self["password2"]]

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        validate_password(password, self.user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe saisis sont différents."))
        return cleaned


# --- personal API tokens ----------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Par exemple « Téléphone de Camille » : le nom vous aide à le reconnaître."),
        error_messages={"required": _("Donnez un nom au jeton.")},
    )


class RevokeTokenForm(forms.Form):
    token_id = forms.IntegerField(min_value=1)
