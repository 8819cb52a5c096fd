"""Grades pages: a student's grades and averages explained; the teacher's services, grid and assessments;
the skills (a service's levels, a division's end-of-cycle positioning); the subjects' coefficients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annuaire.models import Membership, Profile
from annuaire.selectors import access_division, children_in_school, own_student_id, profiles_in, visible_divisions
from schools.access import not_found, require_perm
from schools.forms.kit import posted_by_id, posted_id
from schools.models import School
from schools.requests import school_with, signed_in
from schools.years import school_year_of
from vie_scolaire.calendar.models import Period
from vie_scolaire.calendar.selectors import access_period
from vie_scolaire.grades.forms import AssessmentForm
from vie_scolaire.grades.models import Assessment, SkillLevel, SocleComponent
from vie_scolaire.grades.selectors import divisions, grades
from vie_scolaire.grades.selectors import skills as skill_reads
from vie_scolaire.grades.selectors.divisions import division_students
from vie_scolaire.grades.selectors.grades import grade_text
from vie_scolaire.grades.selectors.skills import student_skills
from vie_scolaire.grades.services import skills
from vie_scolaire.grades.services.grades import GradeConflict, create_assessment, record_grade, set_subject_coefficients
from vie_scolaire.permissions import GENERATE_REPORT_CARDS, MANAGE_COEFFICIENTS, VIEW_GRADES, WRITE_COUNCIL

T = TypeVar("T")


def _saved_grid(request: HttpRequest, write: Callable[[], T], success: Callable[[T], str]) -> bool:
    """A posted grid's write: its refusal said as an error (False, the grid is shown again), else
    `success(what the write returned)` said (True, the page then redirects)."""
    try:
        result = write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success(result))
    return True


def requested_periods(request: HttpRequest, school: School) -> tuple[list[Period], Period | None]:
    """The year's periods and the one asked for (`?periode=`), else the current one."""
    periods = grades.school_periods(school, school_year_of(timezone.localdate()))
    wanted = request.GET.get("periode", "")
    chosen = next((period for period in periods if str(period.pk) == wanted), None)
    return periods, chosen or grades.current_period(periods, timezone.localdate())


def home(request: HttpRequest, uai: str) -> HttpResponse:
    """A student's own grades, a parent's first child's, a teacher's services, or the divisions for staff."""
    school = school_with(request, VIEW_GRADES)
    user = signed_in(request)
    own = own_student_id(user, school)
    if own is not None:
        return student(request, uai, own)
    profiles = profiles_in(user, school)
    periods, period = requested_periods(request, school)
    context = {
        "school": school,
        "assignments": grades.teacher_assignments(user, school) if Profile.TEACHER in profiles else [],
        "divisions": visible_divisions(user, school).order_by("name"),
        "children": children_in_school(user, school),
        "periods": periods,
        "period": period,
        "can_council": user.has_perm(GENERATE_REPORT_CARDS, school),
    }
    return render(request, "vie_scolaire/grades_home.html", context)


@dataclass
class StudentPage:
    membership: Membership
    periods: list[Period]
    period: Period | None
    report: grades.StudentGrades | None


def student_page(request: HttpRequest, school: School, student_id: int) -> StudentPage:
    """The student asked for (404 unless this user may read their grades) and their period's report."""
    user = signed_in(request)
    membership = grades.access_student_grades(user, school, student_id)
    periods, period = requested_periods(request, school)
    report = grades.student_grades(membership, period, grades.viewer_of(user, membership)) if period else None
    return StudentPage(membership, periods, period, report)


def student(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    school = school_with(request, VIEW_GRADES)
    page = student_page(request, school, student_id)
    return render(
        request,
        "vie_scolaire/student_grades.html",
        {
            "school": school,
            "membership": page.membership,
            "period": page.period,
            "periods": page.periods,
            "report": page.report,
            "skills": student_skills(page.membership, school_year_of(timezone.localdate())),
            "children": children_in_school(signed_in(request), school),
        },
    )


def explain(request: HttpRequest, uai: str, student_id: int, assignment_id: int) -> HttpResponse:
    """Every grade of one subject average: scale, coefficient, whether and why it counted, the formula."""
    school = school_with(request, VIEW_GRADES)
    page = student_page(request, school, student_id)
    subjects = page.report.subjects if page.report else []
    subject = next((s for s in subjects if s.assignment.pk == assignment_id), None)
    if subject is None:
        not_found(_("Aucune moyenne de cette matière pour cette période."))
    return render(
        request,
        "vie_scolaire/average_explained.html",
        {"school": school, "membership": page.membership, "period": page.period, "subject": subject},
    )


def grid(request: HttpRequest, uai: str, assignment_id: int) -> HttpResponse:
    """The teacher's grade grid for one service and period: keyboard entry, autosave per cell."""
    school = school_with(request, VIEW_GRADES)
    assignment = grades.access_assignment_to_grade(signed_in(request), school, assignment_id)
    periods, period = requested_periods(request, school)
    if period is None:
        messages.warning(request, _("La direction n'a pas encore défini les périodes de l'année."))
        return redirect("grades:home", uai=school.uai)
    return render(
        request,
        "vie_scolaire/grade_grid.html",
        {"school": school, "grid": grades.grade_grid(assignment, period), "periods": periods, "period": period},
    )


def new_assessment(request: HttpRequest, uai: str, assignment_id: int) -> HttpResponse:
    school = school_with(request, VIEW_GRADES)
    assignment = grades.access_assignment_to_grade(signed_in(request), school, assignment_id)
    periods, period = requested_periods(request, school)
    form = AssessmentForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            chosen = access_period(school, posted_id(request, "period"))
            create_assessment(
                assignment=assignment, period=chosen, data=form.data_object(), created_by=signed_in(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'évaluation est créée : saisissez les notes."))
            return redirect(
                reverse("grades:grid", kwargs={"uai": school.uai, "assignment_id": assignment.pk})
                + f"?periode={chosen.pk}"
            )
    return render(
        request,
        "vie_scolaire/assessment_form.html",
        {"school": school, "assignment": assignment, "form": form, "periods": periods, "period": period},
    )


@require_POST
def save_grade(request: HttpRequest, uai: str, assessment_id: int) -> JsonResponse:
    """One cell of the grid, saved as the teacher leaves it (JSON for the page's script)."""
    school = school_with(request, VIEW_GRADES)
    assessment = grades.access_assessment_to_grade(signed_in(request), school, assessment_id)
    seen = request.POST.get("version", "0")
    try:
        grade = record_grade(
            assessment=assessment,
            student_id=posted_id(request, "student"),
            raw=request.POST.get("value", "")[:20],
            seen_version=int(seen) if seen.isdigit() else 0,
            recorded_by=signed_in(request),
        )
    except GradeConflict as conflict:
        theirs = conflict.grade
        by = theirs.updated_by.get_full_name() if theirs.pk and theirs.updated_by else ""
        return JsonResponse(
            {
                "conflict": True,
                "theirs": grade_text(theirs) if theirs.pk else "",
                "version": theirs.version,
                "message": _("%(name)s a modifié cette note entre-temps : %(value)s.")
                % {"name": by or _("Quelqu'un"), "value": grade_text(theirs) if theirs.pk else _("(vide)")},
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"saved": True, "value": grade_text(grade), "version": grade.version if grade else 0})


def service_skills(request: HttpRequest, uai: str, assignment_id: int) -> HttpResponse:
    school = school_with(request, VIEW_GRADES)
    assignment = grades.access_assignment_to_grade(signed_in(request), school, assignment_id)
    assessments = list(Assessment.objects.filter(school=school, assignment=assignment).order_by("-date", "-pk"))
    wanted = request.GET.get("evaluation", "")
    assessment = next((a for a in assessments if str(a.pk) == wanted), None)
    students = list(grades.assignment_students(assignment).select_related("user").order_by("user__last_name"))
    if request.method == "POST" and _saved_grid(
        request,
        lambda: skills.record_skills(
            assignment=assignment,
            assessment=assessment,
            levels=skills.posted_levels(request.POST.dict()),
            recorded_by=signed_in(request),
        ),
        lambda count: _("Compétences enregistrées (%(count)d).") % {"count": count},
    ):
        return redirect(request.get_full_path())
    return render(
        request,
        "vie_scolaire/skills_grid.html",
        {
            "school": school,
            "assignment": assignment,
            "assessments": assessments,
            "assessment": assessment,
            "rows": _rows(students, skill_reads.grid_levels(assessment, [m.user_id for m in students])),
            "components": SocleComponent.choices,
            "levels": SkillLevel.choices,
        },
    )


def positioning(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """The head teacher's (or the direction's) end-of-cycle positioning of each student."""
    school = school_with(request, VIEW_GRADES)
    division = access_division(signed_in(request), school, division_id)
    require_perm(
        request.user, WRITE_COUNCIL, division, message=_("Le positionnement est rempli par le professeur principal.")
    )
    school_year = school_year_of(timezone.localdate())
    students = division_students(division)
    if request.method == "POST" and _saved_grid(
        request,
        lambda: skills.set_positioning(
            division=division,
            school_year=school_year,
            levels=skills.posted_levels(request.POST.dict()),
            set_by=signed_in(request),
        ),
        lambda _done: _("Le positionnement de fin de cycle est enregistré."),
    ):
        return redirect(request.path)
    levels = skill_reads.positioning_levels(division, school_year, [m.user_id for m in students])
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


def coefficients(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """The direction sets each subject's weight in the division's overall average."""
    school = school_with(request, VIEW_GRADES)
    division = access_division(signed_in(request), school, division_id)
    require_perm(
        request.user, MANAGE_COEFFICIENTS, school, message=_("La direction fixe les coefficients des matières.")
    )
    if request.method == "POST" and _saved_grid(
        request,
        lambda: set_subject_coefficients(division=division, coefficients=posted_by_id(request, "coefficient")),
        lambda _done: _("Les coefficients de la classe sont enregistrés."),
    ):
        return redirect(request.path)
    return render(
        request,
        "vie_scolaire/coefficients.html",
        {"school": school, "division": division, "rows": divisions.division_coefficients(division)},
    )
