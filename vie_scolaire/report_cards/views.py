"""Report card pages: subject comments, the class council, the division's PDFs, the family's downloads."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annuaire.models import Division
from annuaire.selectors import access_division
from schools.access import require_perm
from schools.forms.kit import posted_by_id
from schools.replica import heavy_reads
from schools.requests import school_with, signed_in
from vie_scolaire.grades.selectors import grades
from vie_scolaire.grades.views import requested_periods
from vie_scolaire.permissions import GENERATE_REPORT_CARDS, VIEW_GRADES, WRITE_COUNCIL
from vie_scolaire.report_cards import selectors as cards
from vie_scolaire.report_cards.lsu import export_lsu, validation_errors
from vie_scolaire.report_cards.models import CouncilDecision
from vie_scolaire.report_cards.services import save_council, save_subject_comments, start_report_cards

COUNCIL_REFUSED = _("Le conseil de classe est rempli par le professeur principal ou la direction.")


def comments(request: HttpRequest, uai: str, assignment_id: int) -> HttpResponse:
    """The teacher's comments (appréciations) on the service's students for the period."""
    school = school_with(request, VIEW_GRADES)
    assignment = grades.access_assignment_to_grade(signed_in(request), school, assignment_id)
    periods, period = requested_periods(request, school)
    if period is None:
        return redirect("grades:home", uai=school.uai)
    if request.method == "POST":
        try:
            changed = save_subject_comments(
                assignment=assignment,
                period=period,
                comments=posted_by_id(request, "comment"),
                written_by=signed_in(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Appréciations enregistrées (%(count)d modifiée(s)).") % {"count": changed})
            return redirect(f"{request.path}?periode={period.pk}")
    return render(
        request,
        "vie_scolaire/subject_comments.html",
        {
            "school": school,
            "assignment": assignment,
            "periods": periods,
            "period": period,
            "rows": cards.comment_rows(assignment, period),
        },
    )


def council(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """The class council: the head teacher's general comment and the decision, per student; the PDFs."""
    school = school_with(request, VIEW_GRADES)
    division = access_division(signed_in(request), school, division_id)
    require_perm(request.user, WRITE_COUNCIL, division, message=COUNCIL_REFUSED)
    periods, period = requested_periods(request, school)
    if period is None:
        return redirect("grades:home", uai=school.uai)
    if request.method == "POST":
        return _save_council(request, division, period)
    return render(
        request,
        "vie_scolaire/council.html",
        {
            "school": school,
            "division": division,
            "periods": periods,
            "period": period,
            "rows": cards.council_rows(division, period),
            "decisions": CouncilDecision.choices,
            "run": cards.latest_run(division, period),
            "can_generate": request.user.has_perm(GENERATE_REPORT_CARDS, school),
        },
    )


def _save_council(request: HttpRequest, division: Division, period: object) -> HttpResponse:
    comments_by_student = posted_by_id(request, "general")
    decisions = posted_by_id(request, "decision")
    try:
        for student_id in sorted(set(comments_by_student) | set(decisions)):
            save_council(
                division=division,
                period=period,  # type: ignore[arg-type]
                student_id=student_id,
                general_comment=comments_by_student.get(student_id, ""),
                decision=decisions.get(student_id, ""),
                written_by=signed_in(request),
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le conseil de classe est enregistré."))
    return redirect(f"{request.path}?periode={period.pk}")  # type: ignore[attr-defined]


def generate(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = school_with(request, VIEW_GRADES)
    division = access_division(signed_in(request), school, division_id)
    require_perm(request.user, GENERATE_REPORT_CARDS, school, message=_("La direction édite les bulletins."))
    _periods, period = requested_periods(request, school)
    if request.method != "POST" or period is None:
        return redirect("grades:council", uai=school.uai, division_id=division.pk)
    try:
        start_report_cards(division=division, period=period, requested_by=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'édition des bulletins est lancée : la page montre son avancement."))
    url = reverse("grades:council", kwargs={"uai": school.uai, "division_id": division.pk})
    return redirect(f"{url}?periode={period.pk}")


def family(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """A student's report cards, every year, for the student and their parents."""
    school = school_with(request, VIEW_GRADES)
    membership = grades.access_student_grades(signed_in(request), school, student_id)
    return render(
        request,
        "vie_scolaire/report_cards.html",
        {"school": school, "membership": membership, "cards": cards.family_report_cards(membership)},
    )


@require_GET
def download(request: HttpRequest, uai: str, card_id: int) -> FileResponse:
    school = school_with(request, VIEW_GRADES)
    user = signed_in(request)
    card = cards.access_report_card(user, school, card_id)
    printed = cards.printed_for(user, school, card)
    name = PurePath(card.pdf.name or "bulletin.pdf").name
    response = FileResponse(printed, content_type="application/pdf", as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@heavy_reads()
def lsu(request: HttpRequest, uai: str) -> HttpResponse:
    """The period's bilans périodiques for the LSU: what is missing, then the file."""
    school = school_with(request, VIEW_GRADES)
    require_perm(request.user, GENERATE_REPORT_CARDS, school, message=_("La direction exporte les bilans vers le LSU."))
    periods, period = requested_periods(request, school)
    export = export_lsu(school=school, period=period) if period else None
    if export is not None and period is not None and request.GET.get("fichier"):
        response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lsu-{school.uai}-{slugify(period.name)}.xml"'
        return response
    schema_errors = validation_errors(export.xml) if export is not None and export.xml else []
    return render(
        request,
        "vie_scolaire/lsu.html",
        {"school": school, "periods": periods, "period": period, "export": export, "schema_errors": schema_errors},
    )
