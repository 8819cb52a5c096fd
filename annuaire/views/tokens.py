"""Personal API tokens: /accounts/applications/ lists, creates and revokes the user's tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from annuaire.forms import RevokeTokenForm, TokenForm
from annuaire.selectors import user_tokens
from annuaire.services.tokens import create_token, revoke_token
from schools.requests import signed_in


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = TokenForm()
    clear_key = ""
    created = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            revoke = RevokeTokenForm(request.POST)
            if not revoke.is_valid():
                messages.error(request, _("Ce jeton n'existe pas."))
                return HttpResponseRedirect(reverse("api_tokens"))
            # Another person's token is "not found" (404), and nothing changes.
            token = revoke_token(user=user, token_id=revoke.cleaned_data["token_id"])
            messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
            return HttpResponseRedirect(reverse("api_tokens"))
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created, clear_key = create_token(user=user, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error("name", error)
        if form.errors:
            status = 400
        else:
            form = TokenForm()
    # The clear key is rendered in this one response and never stored: no redirect.
    return render(
        request,
        "annuaire/tokens.html",
        {"form": form, "tokens": user_tokens(user=user), "created": created, "clear_key": clear_key},
        status=status,
    )
