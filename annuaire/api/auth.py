"""Personal API token authentication for DRF.

A phone app sends `Authorization: Bearer <token>` (`Token <token>` is accepted too). Only
the SHA-256 hash of the token is stored; a revoked token or a deactivated account is
refused with a message in French.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from annuaire.models import User
from annuaire.selectors import find_token
from annuaire.services.tokens import touch_token

KEYWORDS = ("bearer", "token")


class PersonalTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` with a token created on /accounts/applications/."""

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            # No token: let the next authentication class (the session) answer.
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("En-tête Authorization mal formé : attendu « Bearer <jeton> », sans espace dans le jeton.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Ce jeton n'est pas valide.")) from error
        token = find_token(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ce jeton n'est pas valide."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Ce jeton a été révoqué."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ce compte est désactivé."))
        touch_token(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to an unauthenticated API call.
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema (drf-spectacular)."""

    target_class = "annuaire.api.auth.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "Jeton d'accès personnel, créé et révoqué sur la page « Applications » de votre compte "
                "(/accounts/applications/). Envoyez-le dans l'en-tête « Authorization: Bearer <jeton> »."
            ),
        }
