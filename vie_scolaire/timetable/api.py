"""The timetable's API: the requesting person's own lessons (a parent's: one child's)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import module_permissions, query_params
from schools.requests import current_school
from vie_scolaire.modules import TIMETABLE
from vie_scolaire.permissions import VIEW_TIMETABLE
from vie_scolaire.timetable import selectors
from vie_scolaire.timetable.serializers import LessonSerializer, TimetableQuerySerializer


class TimetableView(APIView):
    permission_classes = module_permissions(
        TIMETABLE,
        VIEW_TIMETABLE,
        message=gettext_lazy("Vous n'avez pas accès à l'emploi du temps de cet établissement."),
    )

    @extend_schema(
        operation_id="timetable",
        summary=gettext_lazy("Mon emploi du temps"),
        description=gettext_lazy(
            "Les séances de la personne connectée entre deux dates (au plus 62 jours), avec leurs changements "
            "(annulée, déplacée, autre salle, remplaçant). Un responsable légal passe `student`, l'identifiant "
            "de son enfant ; un élève d'un autre établissement ou qui n'est pas le sien répond 404."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("student", OpenApiTypes.INT),
        ],
        responses={
            200: LessonSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("Dates absentes, invalides ou trop éloignées.")),
            404: OpenApiResponse(description=gettext_lazy("Élève absent, d'un autre établissement ou non autorisé.")),
        },
        tags=["emploi du temps"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = query_params(request, TimetableQuerySerializer)
        audience = self._audience(request, query.get("student"))
        lessons = selectors.audience_lessons(current_school(request), audience, query["from"], query["to"])
        return Response(LessonSerializer(lessons, many=True).data)

    def _audience(self, request: Request, student_id: int | None) -> selectors.Audience:
        school = current_school(request)
        if student_id is not None:
            return selectors.student_audience(selectors.access_student(request.user, school, student_id))
        audience = selectors.own_audience(request.user, school)
        if audience is None:
            raise exceptions.ValidationError(
                {"student": [_("Précisez l'élève (student) dont vous voulez l'emploi du temps.")]}
            )
        return audience
