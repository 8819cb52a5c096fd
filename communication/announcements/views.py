"""Pages of announcements: /<uai>/actualites/ (the list, the writing form, one announcement, approval)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annuaire.models import Division
from communication.announcements import selectors
from communication.announcements.forms import AnnouncementForm, ApprovalSettingForm
from communication.announcements.models import Announcement
from communication.announcements.permissions import APPROVE_ANNOUNCEMENTS, VIEW_ANNOUNCEMENTS, WRITE_ANNOUNCEMENTS
from communication.announcements.services import (
    mark_announcement_read,
    review_announcement,
    set_approval_required,
    write_announcement,
)
from schools.requests import school_with, signed_in


def announcement_list(request: HttpRequest, uai: str) -> HttpResponse:
    """The current announcements addressed to the user; for writers and approvers, every one of the school."""
    school = school_with(request, VIEW_ANNOUNCEMENTS)
    user = signed_in(request)
    context = {
        "school": school,
        "current": list(selectors.current_announcements(user, school, timezone.now())),
        "managed": list(selectors.managed_announcements(user, school)[:100]),
        "can_write": user.has_perm(WRITE_ANNOUNCEMENTS, school),
        "can_approve": user.has_perm(APPROVE_ANNOUNCEMENTS, school),
        "approval_form": ApprovalSettingForm(initial={"approval_required": selectors.approval_required(school)}),
        "now": timezone.now(),
    }
    return render(request, "communication/announcement_list.html", context)


def announcement_new(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, WRITE_ANNOUNCEMENTS)
    # The right to write covers the whole school: every division may be addressed.
    divisions = Division.objects.filter(school=school).order_by("name")
    form = AnnouncementForm(request.POST or None, divisions=divisions)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = write_announcement(school=school, author=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if announcement.status == Announcement.Status.PENDING:
                messages.success(request, _("L'actualité attend la validation de la direction."))
            else:
                messages.success(request, _("L'actualité est publiée ; ses destinataires sont prévenus."))
            return redirect("announcements:list", uai=school.uai)
    return render(request, "communication/announcement_form.html", {"school": school, "form": form})


def announcement_detail(request: HttpRequest, uai: str, announcement_id: int) -> HttpResponse:
    """One announcement; opening it marks it read for its reader."""
    school = school_with(request, VIEW_ANNOUNCEMENTS)
    user = signed_in(request)
    announcement = selectors.access_announcement(user, school, announcement_id, timezone.now())
    mark_announcement_read(announcement=announcement, user=user)
    context = {
        "school": school,
        "announcement": announcement,
        "can_approve": user.has_perm(APPROVE_ANNOUNCEMENTS, school),
    }
    return render(request, "communication/announcement_detail.html", context)


@require_POST
def announcement_review(request: HttpRequest, uai: str, announcement_id: int) -> HttpResponse:
    school = school_with(request, APPROVE_ANNOUNCEMENTS)
    user = signed_in(request)
    announcement = selectors.access_announcement(user, school, announcement_id, timezone.now())
    approve = request.POST.get("decision") == "approve"
    try:
        review_announcement(announcement=announcement, reviewer=user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'actualité est publiée.") if approve else _("L'actualité est refusée."))
    return redirect("announcements:list", uai=school.uai)


@require_POST
def approval_setting(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, APPROVE_ANNOUNCEMENTS)
    form = ApprovalSettingForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    required = bool(form.cleaned_data.get("approval_required"))
    set_approval_required(school=school, required=required, changed_by=signed_in(request))
    messages.success(request, _("Le réglage des actualités est enregistré."))
    return redirect("announcements:list", uai=school.uai)
