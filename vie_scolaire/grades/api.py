"""The grades API: a student's grades and averages (explained), and the teacher's entry."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import NOT_FOUND, STUDENT_PARAMETER, family_read_schema, module_permissions, query_params
from annuaire.models import Profile, User
from annuaire.selectors import profiles_in
from schools.requests import current_school, signed_in
from vie_scolaire.calendar.selectors import access_period
from vie_scolaire.grades.averages import display
from vie_scolaire.grades.selectors import grades
from vie_scolaire.grades.serializers import (
    AssessmentSerializer,
    GradeInputSerializer,
    GradesQuerySerializer,
    line_data,
    subject_data,
)
from vie_scolaire.grades.services.grades import AssessmentData, GradeConflict, create_assessment, record_grade
from vie_scolaire.modules import GRADES
from vie_scolaire.permissions import VIEW_GRADES


# The grades' endpoints: a member of the school, the module on, the right to see grades. (No docstring: it
# would become the OpenAPI description of the endpoints that have none.)
@extend_schema(tags=["notes"])
class GradesAPIView(APIView):
    permission_classes = module_permissions(
        GRADES, VIEW_GRADES, message=gettext_lazy("Vous n'avez pas accès aux notes de cet établissement.")
    )


QUERY = [OpenApiParameter("period", OpenApiTypes.INT, required=True), STUDENT_PARAMETER]
# A read of one student's report for a period (`period`, `student`).
_report_schema = partial(family_read_schema, parameters=QUERY, refusals=())


def _student_report(request: Request) -> grades.StudentGrades:
    query = query_params(request, GradesQuerySerializer)
    school = current_school(request)
    user = signed_in(request)
    student_id = query.get("student")
    if student_id is None:
        if Profile.STUDENT not in profiles_in(user, school):
            raise exceptions.ValidationError({"student": [_("Précisez l'élève (student) dont vous voulez les notes.")]})
        student_id = user.pk
    membership = grades.access_student_grades(user, school, student_id)
    period = access_period(school, query["period"])
    return grades.student_grades(membership, period, grades.viewer_of(user, membership))


class GradesView(GradesAPIView):
    @_report_schema(
        "grades",
        gettext_lazy("Notes d'un élève"),
        gettext_lazy(
            "Les notes publiées d'une période : les siennes pour un élève, celles de son enfant pour un responsable "
            "(`student`), avec la moyenne de la classe à chaque évaluation."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = _student_report(request)
        return Response([line_data(line, subject) for subject in report.subjects for line in subject.lines])


class AveragesView(GradesAPIView):
    @_report_schema(
        "averages",
        gettext_lazy("Moyennes expliquées"),
        gettext_lazy(
            "Les moyennes par matière et la moyenne générale d'une période, avec pour chaque note sa part dans le "
            "calcul (comptée ou non, et pourquoi ; points et total « sur »)."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = _student_report(request)
        return Response(
            {
                "period": report.period.name,
                "general_average": display(report.general),
                "subjects": [subject_data(subject) for subject in report.subjects],
            }
        )


class AssessmentCreateView(GradesAPIView):
    @extend_schema(
        operation_id="assessment_create",
        summary=gettext_lazy("Créer une évaluation"),
        request=AssessmentSerializer,
        responses={201: AssessmentSerializer, 400: OpenApiTypes.OBJECT, **NOT_FOUND},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school = current_school(request)
        payload = AssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        assignment = grades.access_assignment_to_grade(signed_in(request), school, data.pop("assignment").pk)
        period = access_period(school, data.pop("period").pk)
        try:
            assessment = create_assessment(
                assignment=assignment, period=period, data=AssessmentData(**data), created_by=signed_in(request)
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentGradesView(GradesAPIView):
    @extend_schema(
        operation_id="assessment_grades",
        summary=gettext_lazy("Saisir les notes d'une évaluation"),
        description=gettext_lazy(
            "Une liste d'élèves avec leur note ou leur code. `version` est celle que vous avez lue (0 : pas de "
            "note) : une note changée entre-temps par quelqu'un d'autre n'est pas écrasée, elle revient en conflit."
        ),
        request=GradeInputSerializer(many=True),
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, **NOT_FOUND},
    )
    def put(self, request: Request, assessment_id: int, *args: Any, **kwargs: Any) -> Response:
        school = current_school(request)
        assessment = grades.access_assessment_to_grade(signed_in(request), school, assessment_id)
        rows = GradeInputSerializer(data=request.data, many=True)
        rows.is_valid(raise_exception=True)
        results = [self._save(assessment, row, signed_in(request)) for row in rows.validated_data]
        return Response({"results": results})

    def _save(self, assessment: Any, row: dict[str, Any], user: User) -> dict[str, Any]:
        try:
            grade = record_grade(
                assessment=assessment,
                student_id=row["student"],
                raw=row["value"],
                seen_version=row["version"],
                recorded_by=user,
            )
        except GradeConflict as conflict:
            return {"student": row["student"], "status": "conflict", "theirs": grades.grade_text(conflict.grade)}
        except ValidationError as error:
            return {"student": row["student"], "status": "refused", "error": " ".join(error.messages)}
        return {
            "student": row["student"],
            "status": "saved",
            "value": grades.grade_text(grade),
            "version": grade.version if grade else 0,
        }
