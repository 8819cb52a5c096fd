"""The attendance API: a lesson's roll call for its teacher (read the sheet, save it whole)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api_permissions import IsSchoolMember, ModuleEnabled, SchoolPermission, request_school
from annuaire.models import User
from vie_scolaire.attendance import roll_call_sheet, take_roll_call
from vie_scolaire.modules import ATTENDANCE
from vie_scolaire.permissions import TAKE_ROLL_CALL, VIEW_ATTENDANCE
from vie_scolaire.selectors import access_lesson_for_roll_call
from vie_scolaire.serializers_attendance import RollCallInputSerializer, sheet_row_data


class AttendancePermission(SchoolPermission):
    perm = VIEW_ATTENDANCE
    message = gettext_lazy("Vous n'avez pas accès aux absences de cet établissement.")


class RollCallPermission(SchoolPermission):
    perm = TAKE_ROLL_CALL
    message = gettext_lazy("Vous ne faites pas l'appel dans cet établissement.")


ATTENDANCE_PERMISSIONS: list[type[BasePermission]] = [
    IsSchoolMember,
    ModuleEnabled.for_module(ATTENDANCE.code),
    AttendancePermission,
]
NOT_FOUND = {404: OpenApiResponse(description=gettext_lazy("Absent, d'un autre établissement ou non autorisé."))}


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class RollCallView(APIView):
    permission_classes = [*ATTENDANCE_PERMISSIONS, RollCallPermission]

    @extend_schema(
        operation_id="roll_call_sheet",
        summary=gettext_lazy("Feuille d'appel d'une séance"),
        description=gettext_lazy(
            "Les élèves attendus, avec ce qui est déjà noté (absent, retard, départ) et les absences déjà "
            "signalées par la vie scolaire ou la famille (`known_absent`)."
        ),
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=["absences"],
    )
    def get(self, request: Request, lesson_id: int, *args: Any, **kwargs: Any) -> Response:
        lesson = access_lesson_for_roll_call(_user(request), request_school(request), lesson_id)
        return Response({"lesson": lesson.pk, "taken": hasattr(lesson, "roll_call"), "students": self._rows(lesson)})

    @extend_schema(
        operation_id="roll_call",
        summary=gettext_lazy("Faire l'appel d'une séance"),
        description=gettext_lazy(
            "L'appel entier en une fois : les élèves absents, en retard (minutes), partis avant la fin (heure). "
            "Les autres sont présents. L'enseignant le corrige jusqu'au soir, la vie scolaire ensuite."
        ),
        request=RollCallInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, **NOT_FOUND},
        tags=["absences"],
    )
    def post(self, request: Request, lesson_id: int, *args: Any, **kwargs: Any) -> Response:
        lesson = access_lesson_for_roll_call(_user(request), request_school(request), lesson_id)
        payload = RollCallInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            take_roll_call(
                lesson=lesson,
                absent=set(data["absent"]),
                late={row["student"]: row["minutes"] for row in data["late"]},
                departures={row["student"]: row["left_at"] for row in data["departures"]},
                taken_by=_user(request),
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return Response({"lesson": lesson.pk, "taken": True, "students": self._rows(lesson)})

    def _rows(self, lesson: Any) -> list[dict[str, Any]]:
        return [sheet_row_data(row) for row in roll_call_sheet(lesson)]
