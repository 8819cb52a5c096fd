"""Skills pages: the teacher's levels per service (with an assessment or on their own), the
end-of-cycle positioning of a division."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.selectors import access_division
from schools.access import require_perm
from schools.models import School
from schools.years import school_year_of
from vie_scolaire import selectors_grades as grades
from vie_scolaire import skills
from vie_scolaire.models import Assessment, SkillLevel, SocleComponent
from vie_scolaire.permissions import VIEW_GRADES, WRITE_COUNCIL
from vie_scolaire.selectors_report_cards import division_students
from vie_scolaire.views_common import school_with, user_of


def _school(request: HttpRequest) -> School:
    return school_with(request, VIEW_GRADES)


def service_skills(request: HttpRequest, uai: str, assignment_id: int) -> HttpResponse:
    school = _school(request)
    assignment = grades.access_assignment_to_grade(user_of(request), school, assignment_id)
    assessments = list(Assessment.objects.filter(school=school, assignment=assignment).order_by("-date", "-pk"))
    wanted = request.GET.get("evaluation", "")
    assessment = next((a for a in assessments if str(a.pk) == wanted), None)
    students = list(grades.assignment_students(assignment).select_related("user").order_by("user__last_name"))
    if request.method == "POST":
        try:
            count = skills.record_skills(
                assignment=assignment,
                assessment=assessment,
                levels=skills.posted_levels(request.POST.dict()),
                recorded_by=user_of(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Compétences enregistrées (%(count)d).") % {"count": count})
            return redirect(request.get_full_path())
    return render(
        request,
        "vie_scolaire/skills_grid.html",
        {
            "school": school,
            "assignment": assignment,
            "assessments": assessments,
            "assessment": assessment,
            "rows": _rows(students, skills.grid_levels(assessment, [m.user_id for m in students])),
            "components": SocleComponent.choices,
            "levels": SkillLevel.choices,
        },
    )


def positioning(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """The head teacher's (or the direction's) end-of-cycle positioning of each student."""
    school = _school(request)
    division = access_division(user_of(request), school, division_id)
    require_perm(
        request.user, WRITE_COUNCIL, division, message=_("Le positionnement est rempli par le professeur principal.")
    )
    school_year = school_year_of(timezone.localdate())
    students = division_students(division)
    if request.method == "POST":
        try:
            skills.set_positioning(
                division=division,
                school_year=school_year,
                levels=skills.posted_levels(request.POST.dict()),
                set_by=user_of(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le positionnement de fin de cycle est enregistré."))
            return redirect(request.path)
    levels = skills.positioning_levels(division, school_year, [m.user_id for m in students])
    return render(
        request,
        "vie_scolaire/positioning.html",
        {
            "school": school,
            "division": division,
            "rows": _rows(students, levels),
            "components": SocleComponent.choices,
            "levels": [(0, _("Dispensé")), *SkillLevel.choices],
        },
    )


def _rows(students: list, levels: dict[tuple[int, str], int]) -> list[tuple[object, list[tuple[str, int | None]]]]:  # type: ignore[type-arg]
    return [
        (membership, [(code, levels.get((membership.user_id, code))) for code in SocleComponent.values])
        for membership in students
    ]
