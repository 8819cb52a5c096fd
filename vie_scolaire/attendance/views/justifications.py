"""The families' side of attendance: a student's year, justifying and declaring absences, the office's queue.

Thin views: the right is checked with `school_with`, the student or justification is reached
through an `access_*` selector (404 for anything the user may not see), the write is one service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annuaire.models import Membership
from annuaire.selectors import access_student, children_in_school
from schools.access import not_found
from schools.documents import download, read_kind
from schools.forms.kit import saved
from schools.models import School
from schools.requests import school_with, signed_in
from schools.years import school_year_of
from vie_scolaire.attendance.forms import (
    DecisionForm,
    DeclareForm,
    FamilyFollowForm,
    JustifyForm,
    RecordAbsenceForm,
    SetReasonForm,
)
from vie_scolaire.attendance.selectors import families
from vie_scolaire.attendance.selectors import justifications as selectors
from vie_scolaire.attendance.services import families as family_services
from vie_scolaire.attendance.services import justifications as services
from vie_scolaire.attendance.views.office import office_page
from vie_scolaire.permissions import JUSTIFY_ABSENCES, MANAGE_ATTENDANCE, VIEW_ATTENDANCE, WITHHOLD_ATTENDANCE


def _student(request: HttpRequest, school: School, student_id: int) -> Membership:
    return access_student(
        signed_in(request), school, student_id, message=_("Cet élève n'existe pas ou vous n'y avez pas accès.")
    )


def _page(request: HttpRequest, membership: Membership) -> HttpResponse:
    return redirect("attendance:student", uai=membership.school.uai, student_id=membership.user_id)


def _chosen(request: HttpRequest) -> set[str]:
    """The lines a refused form had ticked, to tick them again (`absence-12`, `lateness-3`)."""
    if request.method != "POST":
        return set()
    return {f"absence-{pk}" for pk in request.POST.getlist("absences")} | {
        f"lateness-{pk}" for pk in request.POST.getlist("latenesses")
    }


def _render_student(request: HttpRequest, school: School, membership: Membership, **bound: Form) -> HttpResponse:
    """The student's year; the family's form for whoever justifies, the office's forms for the office.

    A parent whom the adult student keeps from their attendance reads only that the student chose so.
    """
    user = signed_in(request)
    is_office = user.has_perm(MANAGE_ATTENDANCE, school)
    withheld = families.withheld_from(user, school, membership.user_id)
    can_justify = not withheld and user.has_perm(JUSTIFY_ABSENCES, membership)
    may_withhold = user.has_perm(WITHHOLD_ATTENDANCE, membership)
    context: dict[str, Any] = {
        "school": school,
        "membership": membership,
        "children": children_in_school(user, school),
        "withheld": withheld,
        "is_office": is_office,
        "can_justify": can_justify,
        "chosen": _chosen(request),
    }
    if withheld:
        return render(request, "vie_scolaire/attendance_student.html", context)
    context["attendance"] = selectors.student_attendance(
        membership=membership, school_year=school_year_of(timezone.localdate()), for_office=is_office
    )
    context["can_open_documents"] = selectors.may_open_documents(user, school, membership.user_id)
    if can_justify:
        context["justify_form"] = bound.get("justify_form") or JustifyForm(school=school, auto_id="justify_%s")
    if may_withhold:
        context["follow_form"] = bound.get("follow_form") or _follow_form(school, membership)
    if is_office:
        context["record_form"] = bound.get("record_form") or RecordAbsenceForm(school=school, auto_id="record_%s")
        context["reason_form"] = bound.get("reason_form") or SetReasonForm(school=school, auto_id="reason_%s")
    return render(request, "vie_scolaire/attendance_student.html", context)


def _posted_on_student_page(
    request: HttpRequest,
    school: School,
    membership: Membership,
    form: Form,
    write: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A form posted from the student's page (`<prefix>_%s` ids, shown as `<prefix>_form`): the service's
    write with the form's data, then back to the page; refused, the page again with the form and why."""
    if saved(request, form, lambda: write(form.cleaned_data), success):
        return _page(request, membership)
    prefix = str(form.auto_id).removesuffix("_%s")
    return _render_student(request, school, membership, **{f"{prefix}_form": form})


def _follow_form(school: School, membership: Membership) -> FamilyFollowForm:
    """The adult student's choice as it stands."""
    withheld = membership.user_id in families.attendance_withheld(school, [membership.user_id])
    current = FamilyFollowForm.WITHHELD if withheld else FamilyFollowForm.FOLLOWED
    return FamilyFollowForm(initial={"follow": current}, auto_id="follow_%s")


def student(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """One student's absences, lateness and early departures of the year, each with its state."""
    school = school_with(request, VIEW_ATTENDANCE)
    return _render_student(request, school, _student(request, school, student_id))


@require_POST
def justify(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    school = school_with(request, JUSTIFY_ABSENCES)
    membership = selectors.access_student_to_justify(signed_in(request), school, student_id)
    form = JustifyForm(request.POST, request.FILES, school=school, auto_id="justify_%s")
    return _posted_on_student_page(
        request,
        school,
        membership,
        form,
        lambda data: services.justify(
            school=school,
            student=membership.user,
            submitted_by=signed_in(request),
            absence_ids=data["absences"],
            lateness_ids=data["latenesses"],
            reason=data["reason"],
            comment=data["comment"],
            document=data["document"],
        ),
        _("Le justificatif est envoyé à la vie scolaire."),
    )


def declare(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """A legal representative (or the adult student) announces a coming absence, with its reason."""
    school = school_with(request, JUSTIFY_ABSENCES)
    membership = selectors.access_student_to_justify(signed_in(request), school, student_id)
    form = DeclareForm(request.POST or None, request.FILES or None, school=school)
    if request.method == "POST" and saved(
        request,
        form,
        lambda: services.declare_absence(
            school=school,
            student=membership.user,
            submitted_by=signed_in(request),
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            document=form.cleaned_data["document"],
        ),
        _("L'absence est déclarée : la vie scolaire en est informée."),
    ):
        return _page(request, membership)
    return render(
        request, "vie_scolaire/attendance_declare.html", {"school": school, "membership": membership, "form": form}
    )


def _office_post(
    request: HttpRequest,
    student_id: int,
    form_class: Callable[..., Form],
    prefix: str,
    write: Callable[[School, Membership, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """One of the office's forms on a student's page (the right to manage attendance, the student reached
    like the page reaches them), its write given the school, the student and the form's data."""
    school = school_with(request, MANAGE_ATTENDANCE)
    membership = _student(request, school, student_id)
    form = form_class(request.POST, school=school, auto_id=f"{prefix}_%s")
    return _posted_on_student_page(
        request, school, membership, form, lambda data: write(school, membership, data), success
    )


@require_POST
def record_absence(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    return _office_post(
        request,
        student_id,
        RecordAbsenceForm,
        "record",
        lambda school, membership, data: services.record_absence(
            school=school,
            student=membership.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            recorded_by=signed_in(request),
        ),
        _("L'absence est enregistrée."),
    )


@require_POST
def set_reason(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    return _office_post(
        request,
        student_id,
        SetReasonForm,
        "reason",
        lambda school, membership, data: services.set_reason(
            school=school,
            student=membership.user,
            absence_ids=data["absences"],
            lateness_ids=data["latenesses"],
            reason=data["reason"],
            decided_by=signed_in(request),
        ),
        _("Le motif est enregistré."),
    )


@require_POST
def family_follow(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """An adult student lets their parents follow their attendance, or no longer."""
    school = school_with(request, WITHHOLD_ATTENDANCE)
    membership = selectors.access_attendance_to_withhold(signed_in(request), school, student_id)
    form = FamilyFollowForm(request.POST, auto_id="follow_%s")
    return _posted_on_student_page(
        request,
        school,
        membership,
        form,
        lambda _data: family_services.choose_family_follow(
            school=school, student=membership.user, withheld=form.withheld()
        ),
        _("Votre choix est enregistré."),
    )


def justifications(request: HttpRequest, uai: str) -> HttpResponse:
    """The office's queue: the families' justifications, pending first."""
    school = school_with(request, MANAGE_ATTENDANCE)
    page, items = selectors.justification_queue(school=school, page_number=request.GET.get("page", 1))
    context = {
        "page": page,
        "items": items,
        "accept_reasons": list(selectors.office_reasons(school).filter(justifies=True)),
    }
    return office_page(request, school, "vie_scolaire/attendance_justifications.html", "justifications", context)


@require_POST
def decide(request: HttpRequest, uai: str, justification_id: int) -> HttpResponse:
    """The office accepts (with the family's reason or a corrected one) or refuses with a message."""
    school = school_with(request, MANAGE_ATTENDANCE)
    justification = selectors.access_justification_to_decide(school, justification_id)
    form = DecisionForm(request.POST, school=school)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        services.decide_justification(
            justification=justification,
            decided_by=signed_in(request),
            accept=form.cleaned_data["decision"] == DecisionForm.ACCEPT,
            reason=form.cleaned_data["reason"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La décision est enregistrée et la famille prévenue."))
    return redirect("attendance:justifications", uai=school.uai)


@require_GET
def document(request: HttpRequest, uai: str, justification_id: int) -> FileResponse:
    """The justification's document, as a download of the type its bytes show, never rendered by the browser."""
    school = school_with(request, VIEW_ATTENDANCE)
    justification = selectors.access_justification_document(signed_in(request), school, justification_id)
    try:
        file = justification.document.open("rb")
    except FileNotFoundError:
        not_found(_("Ce justificatif n'existe pas ou vous n'y avez pas accès."))
    return download(file, kind=read_kind(file), stem=f"justificatif-{justification.pk}")
