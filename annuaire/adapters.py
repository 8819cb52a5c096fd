"""django-allauth adapter: accounts come from the directory, nobody signs up alone.

Sign-in messages are ours, in plain French. A deactivated account (`is_active=False`) is
told so only once its password matched: allauth then calls `respond_user_inactive`, which
shows `account/account_inactive.html`; a wrong password gets the same answer as for any
other identifier, so nothing reveals which identifiers exist. Failed sign-ins are limited
by `ACCOUNT_RATE_LIMITS["login_failed"]` (per IP and per identifier), whose refusal is the
`too_many_login_attempts` message below.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

INACTIVE_ACCOUNT_MESSAGE = _("Ce compte est désactivé. Adressez-vous au secrétariat de votre établissement.")
WRONG_CREDENTIALS_MESSAGE = _(
    "Identifiant (ou adresse e-mail) ou mot de passe incorrect. Vérifiez votre saisie, "
    "ou utilisez « Mot de passe oublié ? »."
)
TOO_MANY_ATTEMPTS_MESSAGE = _(
    "Trop de tentatives de connexion échouées. Par sécurité, la connexion à ce compte est "
    "bloquée pendant quelques minutes : réessayez plus tard, ou utilisez « Mot de passe oublié ? »."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": INACTIVE_ACCOUNT_MESSAGE,
        "username_password_mismatch": WRONG_CREDENTIALS_MESSAGE,
        "email_password_mismatch": WRONG_CREDENTIALS_MESSAGE,
        "too_many_login_attempts": TOO_MANY_ATTEMPTS_MESSAGE,
    }

    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def clean_password(self, password: str, user: Any = None) -> str:
        """Every password allauth sets (reset, change) follows the CNIL policy, like activation."""
        validate_password(password, user)
        return password
