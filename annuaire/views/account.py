"""First-login activation: identifier and letter code, then password and charter.

The pending activation (user id and code id) waits in the session between the two steps,
never in hidden fields; each step checks it again.
"""

from __future__ import annotations

from typing import Any

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from annuaire.forms import ActivationCodeForm, ActivationPasswordForm
from annuaire.services.activation import (
    ActivationError,
    CheckOutcome,
    activate_account,
    check_activation,
    pending_activation,
    schools_to_accept,
)

SESSION_KEY = "ent_pending_activation"
RATE_LIMIT_ACTION = "activate_account"


def invalid_code_message() -> str:
    return _(
        "Identifiant ou code d'activation incorrect. Vérifiez la lettre d'activation "
        "ou demandez-en une nouvelle au secrétariat."
    )


def rate_limited_message() -> str:
    return _("Trop de tentatives d'activation depuis votre connexion. Patientez une minute avant de réessayer.")


def already_active_message() -> str:
    return _(
        "Ce compte est déjà activé. Connectez-vous avec votre identifiant et votre mot de passe ; "
        "si vous l'avez oublié, utilisez « Mot de passe oublié ? » sur la page de connexion."
    )


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
def activate(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(request, _("Vous êtes déjà connecté : votre compte est activé."))
        return redirect("home")
    pending = request.session.get(SESSION_KEY)
    if pending and request.POST.get("step") != "code":
        return _choose_password(request, pending)
    return _enter_code(request)


def _enter_code(request: HttpRequest) -> HttpResponse:
    form = ActivationCodeForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "annuaire/activation_code.html", context)
    if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
        form.is_valid()
        form.add_error(None, rate_limited_message())
        return render(request, "annuaire/activation_code.html", context, status=429)
    if not form.is_valid():
        return render(request, "annuaire/activation_code.html", context)
    request.session.pop(SESSION_KEY, None)
    check = check_activation(username=form.cleaned_data["username"], code=form.cleaned_data["code"])
    if check.outcome is CheckOutcome.ALREADY_ACTIVE:
        context["already_active"] = already_active_message()
        return render(request, "annuaire/activation_code.html", context)
    if check.outcome is not CheckOutcome.VALID or check.user is None or check.code is None:
        form.add_error(None, invalid_code_message())
        return render(request, "annuaire/activation_code.html", context)
    request.session[SESSION_KEY] = {"user_id": check.user.pk, "code_id": check.code.pk}
    return HttpResponseRedirect(reverse("account_activate"))


def _restart(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.error(request, message)
    return HttpResponseRedirect(reverse("account_activate"))


def _choose_password(request: HttpRequest, pending: dict[str, int]) -> HttpResponse:
    found = pending_activation(user_id=pending.get("user_id", 0), code_id=pending.get("code_id", 0))
    if found is None:
        return _restart(request, invalid_code_message())
    user, code = found
    schools = schools_to_accept(user=user)
    form = ActivationPasswordForm(request.POST or None, user=user, schools=schools)
    context = {"form": form, "person": user}
    if request.method == "POST" and request.POST.get("step") == "cancel":
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(reverse("account_activate"))
    if request.method != "POST" or not form.is_valid():
        return render(request, "annuaire/activation_password.html", context)
    try:
        activate_account(user=user, activation_code=code, password=form.cleaned_data["password1"], schools=schools)
    except ValidationError as error:
        form.add_error("password1", error)
        return render(request, "annuaire/activation_password.html", context)
    except ActivationError:
        return _restart(request, invalid_code_message())
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Votre compte est activé. Bienvenue sur l'ENT !"))
    user.refresh_from_db()
    return perform_login(request, user, redirect_url=reverse("home"))
