"""The personal notification center, across the user's schools: /notifications/ (list, mark read, preferences)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communication.notifications.forms import PreferencesForm
from communication.notifications.selectors import (
    access_notification,
    notifications_of,
    preferences_for,
    unread_count,
    user_school_ids,
)
from communication.notifications.services.center import mark_all_read, mark_read, save_preferences
from schools.requests import signed_in
from schools.tenancy import schools_scope

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    user = signed_in(request)
    with schools_scope(user_school_ids(user)):
        page = Paginator(notifications_of(user, unread_only=unread_only), PAGE_SIZE).get_page(request.GET.get("page"))
        notifications = list(page.object_list)
    return render(
        request,
        "communication/notification_list.html",
        {"page": page, "notifications": notifications, "unread_only": unread_only},
    )


@login_required
def notification_count(request: HttpRequest) -> HttpResponse:
    """The header's unread badge, fetched by htmx once the page is shown: pages keep their own query
    budget, and the count costs one query a minute per person (cached)."""
    return render(request, "communication/_unread_badge.html", {"count": unread_count(signed_in(request))})


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with `open`, follow its link (a path of the ENT only)."""
    user = signed_in(request)
    with schools_scope(user_school_ids(user)):
        notification = access_notification(user, notification_id)
        mark_read(user=user, notification=notification)
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(user=signed_in(request))
    messages.success(
        request,
        ngettext("%(count)d notification marquée comme lue.", "%(count)d notifications marquées comme lues.", count)
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    prefs = preferences_for(user)
    form = PreferencesForm(request.POST or None, prefs=prefs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_preferences(
                user=user, channels=form.channels(), quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"], digest=data["digest"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Vos préférences de notification sont enregistrées."))
            return redirect("notifications:preferences")
    return render(request, "communication/preferences.html", {"form": form})
