"""Heads' pages: the school's accounts (search, deactivate, reactivate, new activation letter,
contact details, local accounts for people outside the rectorat's directory) and the rights
they delegate. Thin: permission, one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from annuaire.forms.admin import AccountSearchForm, ContactDetailsForm, DelegationForm, LocalAccountForm
from annuaire.models import Membership, User
from annuaire.selectors.admin import (
    ACCOUNTS_PER_PAGE,
    access_account,
    access_delegation,
    account_rows,
    permission_label,
    school_accounts,
    school_delegations,
)
from annuaire.services.accounts import (
    ActivationLetter,
    contact_edit_refusal,
    create_local_account,
    deactivate_account,
    reactivate_account,
    reset_password,
    revert_contact_details,
    update_contact_details,
)
from annuaire.services.delegations import grant_delegation, withdraw_delegation
from schools import permissions as school_perms
from schools.access import city_admin_allowed, require_perm
from schools.requests import current_school, school_with, signed_in


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Accounts ---------------------------------------------------------------------------


@city_admin_allowed
def accounts(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, school_perms.MANAGE_ACCOUNTS)
    form = AccountSearchForm(request.GET or None, school=school)
    users = school_accounts(school, **form.filters())
    page = Paginator(users, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "annuaire/admin/accounts.html",
        {
            "school": school,
            "form": form,
            "page": page,
            "rows": account_rows(page.object_list),
            "query": request.GET.urlencode(),
            # Codes and contact details stay with the school (not the city profile).
            "handles_personal_data": signed_in(request).has_perm(school_perms.MANAGE_PERSONAL_DATA, school),
        },
    )


def _account_target(request: HttpRequest, membership_id: int) -> Membership | HttpResponse:
    """The membership an action names: 403 without the right, 404 if foreign, 405 unless POST."""
    school = school_with(request, school_perms.MANAGE_ACCOUNTS)
    membership = access_account(signed_in(request), school, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return membership


def _back_to_accounts(request: HttpRequest) -> HttpResponseRedirect:
    url = reverse("annuaire_admin:accounts", kwargs={"uai": current_school(request).uai})
    # Back to the same search; re-encoded so only a query string can come through.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _switch_account(
    request: HttpRequest, membership_id: int, switch: Callable[[Membership, User], object], done: str
) -> HttpResponse:
    """Deactivate or reactivate the account an action names, then back to the same search."""
    membership = _account_target(request, membership_id)
    if isinstance(membership, HttpResponse):
        return membership
    try:
        switch(membership, signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done % {"name": membership.user.get_full_name()})
    return _back_to_accounts(request)


@city_admin_allowed
def deactivate(request: HttpRequest, uai: str, membership_id: int) -> HttpResponse:
    return _switch_account(
        request,
        membership_id,
        lambda membership, actor: deactivate_account(membership=membership, deactivated_by=actor),
        _("Le compte de %(name)s est désactivé dans l'établissement."),
    )


@city_admin_allowed
def reactivate(request: HttpRequest, uai: str, membership_id: int) -> HttpResponse:
    return _switch_account(
        request,
        membership_id,
        lambda membership, actor: reactivate_account(membership=membership, reactivated_by=actor),
        _("Le compte de %(name)s est réactivé dans l'établissement."),
    )


def password_reset(request: HttpRequest, uai: str, membership_id: int) -> HttpResponse:
    _require_personal_data_right(request)
    membership = _account_target(request, membership_id)
    if isinstance(membership, HttpResponse):
        return membership
    try:
        letter = reset_password(membership=membership, reset_by=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back_to_accounts(request)
    messages.success(
        request,
        _("Un nouveau code d'activation a été créé pour %(name)s : imprimez la lettre ci-dessous.")
        % {"name": letter.user.get_full_name()},
    )
    return _letter_response(request, letter)


def _letter_response(request: HttpRequest, letter: ActivationLetter) -> HttpResponse:
    # The clear code lives in this one response only: never cached, never stored.
    response = render(
        request,
        "annuaire/admin/activation_letter.html",
        {
            "school": letter.school,
            "letter": letter,
            "activation_url": request.build_absolute_uri(reverse("account_activate")),
            "query": request.POST.get("query", ""),
        },
    )
    add_never_cache_headers(response)
    return response


# --- Contact details and local accounts (hand edits that survive imports) ---------------


def _require_personal_data_right(request: HttpRequest) -> None:
    require_perm(
        signed_in(request),
        school_perms.MANAGE_PERSONAL_DATA,
        current_school(request),
        message=_("Les coordonnées des personnes ne sont gérées que par l'établissement."),
    )


def contact_details(request: HttpRequest, uai: str, membership_id: int) -> HttpResponse:
    """GET: the person's e-mail and phone, and what the rectorat's directory says; POST: save them."""
    school = current_school(request)
    _require_personal_data_right(request)
    user = signed_in(request)
    membership = access_account(user, school, membership_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    refusal = contact_edit_refusal(membership=membership, actor=user)
    if refusal:
        raise PermissionDenied(refusal)
    person = membership.user
    form = ContactDetailsForm(
        request.POST if request.method == "POST" else None, initial={"email": person.email, "phone": person.phone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_contact_details(
                membership=membership,
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                edited_by=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Les coordonnées de %(name)s sont enregistrées.") % {"name": person.get_full_name()}
            )
            return redirect("annuaire_admin:account_contact", uai=school.uai, membership_id=membership.pk)
    from_directory = bool(person.external_id)
    return render(
        request,
        "annuaire/admin/contact_details.html",
        {
            "school": school,
            "membership": membership,
            "person": person,
            "form": form,
            "from_directory": from_directory,
            "differs_from_directory": from_directory
            and (person.email, person.phone) != (person.directory_email, person.directory_phone),
        },
    )


def contact_revert(request: HttpRequest, uai: str, membership_id: int) -> HttpResponse:
    """POST: back to the directory's e-mail and phone, which later imports update again."""
    school = current_school(request)
    _require_personal_data_right(request)
    membership = _account_target(request, membership_id)
    if isinstance(membership, HttpResponse):
        return membership
    try:
        revert_contact_details(membership=membership, reverted_by=signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _(
                "%(name)s a de nouveau les coordonnées de l'annuaire académique : "
                "les prochains imports les mettront à jour."
            )
            % {"name": membership.user.get_full_name()},
        )
    return redirect("annuaire_admin:account_contact", uai=school.uai, membership_id=membership.pk)


def local_account_new(request: HttpRequest, uai: str) -> HttpResponse:
    """GET: the form; POST: create the account and show its activation letter, once."""
    school = current_school(request)
    _require_personal_data_right(request)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = LocalAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _membership, letter = create_local_account(
                school=school,
                first_name=data["first_name"],
                last_name=data["last_name"],
                profile=data["profile"],
                functions=data["functions"],
                email=data["email"],
                phone=data["phone"],
                created_by=signed_in(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Le compte de %(name)s est créé (identifiant %(login)s) : imprimez sa lettre d'activation.")
                % {"name": letter.user.get_full_name(), "login": letter.user.username},
            )
            return _letter_response(request, letter)
    return render(request, "annuaire/admin/local_account.html", {"school": school, "form": form})


# --- Delegations ------------------------------------------------------------------------


def delegations(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, school_perms.MANAGE_DELEGATIONS)
    form = DelegationForm(request.POST if request.method == "POST" else None, school=school)
    if request.method == "POST" and form.is_valid():
        person, permission = form.cleaned_data["person"], form.cleaned_data["permission"]
        try:
            grant_delegation(school=school, user=person, permission=permission, granted_by=signed_in(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s a reçu le droit « %(right)s ».")
                % {"name": person.get_full_name(), "right": permission_label(permission)},
            )
            return redirect("annuaire_admin:delegations", uai=school.uai)
    return render(
        request,
        "annuaire/admin/delegations.html",
        {"school": school, "form": form, "delegations": school_delegations(school)},
    )


def withdraw(request: HttpRequest, uai: str, delegation_id: int) -> HttpResponse:
    school = school_with(request, school_perms.MANAGE_DELEGATIONS)
    user = signed_in(request)
    row = access_delegation(user, school, delegation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    permission = school_perms.delegated_name(row.permission.content_type.app_label, row.permission.codename)
    try:
        withdraw_delegation(school=school, user=row.user, permission=permission, withdrawn_by=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Le droit « %(right)s » est retiré à %(name)s.")
            % {"name": row.user.get_full_name(), "right": permission_label(permission)},
        )
    return redirect("annuaire_admin:delegations", uai=school.uai)
