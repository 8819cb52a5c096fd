"""The attendance API: a student's (or a parent's child's) absences, a lesson's roll call for its teacher."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import (
    NOT_FOUND,
    SchoolPermission,
    family_read_schema,
    module_permissions,
    requested_range,
)
from schools.requests import current_school, signed_in
from schools.years import school_year_of
from vie_scolaire.attendance.selectors.families import withheld_from
from vie_scolaire.attendance.selectors.justifications import student_attendance
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.attendance.selectors.roll_call import (
    access_lesson_for_roll_call,
    roll_call_is_open,
    roll_call_not_open_message,
    roll_call_opens_at,
    roll_call_sheet,
)
from vie_scolaire.attendance.serializers import (
    RollCallInputSerializer,
    attendance_line_data,
    sheet_row_data,
)
from vie_scolaire.attendance.services.roll_call import take_roll_call
from vie_scolaire.modules import ATTENDANCE
from vie_scolaire.permissions import MANAGE_ATTENDANCE, TAKE_ROLL_CALL, VIEW_ATTENDANCE

ATTENDANCE_PERMISSIONS = module_permissions(
    ATTENDANCE, VIEW_ATTENDANCE, message=gettext_lazy("Vous n'avez pas accès aux absences de cet établissement.")
)
ROLL_CALL_PERMISSION = SchoolPermission.with_perm(
    TAKE_ROLL_CALL, gettext_lazy("Vous ne faites pas l'appel dans cet établissement.")
)
# What the absences' read and the roll call's write answer: their data, a bad request, a refusal, not found.
ANSWERS = {200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, **NOT_FOUND}


# The attendance's endpoints: a member of the school, the module on, the right to see absences.
# (No docstring: it would become the OpenAPI description of the endpoints that have none.)
@extend_schema(tags=["absences"])
class AttendanceAPIView(APIView):
    permission_classes = ATTENDANCE_PERMISSIONS


class AbsencesView(AttendanceAPIView):
    @family_read_schema(
        "absences",
        gettext_lazy("Absences, retards et départs d'un élève"),
        gettext_lazy(
            "Entre deux dates (`from`, `to`, un an au plus) : les siens pour un élève, ceux de son enfant pour un "
            "responsable (`student`), avec leur état (justifiée, justificatif en attente ou refusé, non justifiée). "
            "Refusé (403) à un responsable quand l'élève majeur a choisi qu'il ne les suive plus."
        ),
        refusals=(400, 403),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school, user = current_school(request), signed_in(request)
        membership, first, last = requested_range(
            request, message=_("Cet élève n'existe pas ou vous n'y avez pas accès.")
        )
        if withheld_from(user, school, membership.user_id):
            raise exceptions.PermissionDenied(
                _("Élève majeur(e), %(name)s a choisi que ses responsables légaux ne suivent plus ses absences.")
                % {"name": membership.user.first_name}
            )
        for_office = user.has_perm(MANAGE_ATTENDANCE, school)
        lines = [
            line
            for year in sorted({school_year_of(first), school_year_of(last)})
            for line in student_attendance(membership=membership, school_year=year, for_office=for_office).lines
            if first <= line.starts_at.astimezone().date() <= last
        ]
        return Response([attendance_line_data(line) for line in lines])


class RollCallView(AttendanceAPIView):
    permission_classes = [*ATTENDANCE_PERMISSIONS, ROLL_CALL_PERMISSION]

    @extend_schema(
        operation_id="roll_call_sheet",
        summary=gettext_lazy("Feuille d'appel d'une séance"),
        description=gettext_lazy(
            "Les élèves attendus, avec ce qui est déjà noté (absent, retard, départ) et les absences déjà "
            "signalées par la vie scolaire ou la famille (`known_absent`) ; quand l'appel ouvre (`opens_at`), "
            "s'il est ouvert (`open`) et sinon pourquoi (`not_open`)."
        ),
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, **NOT_FOUND},
    )
    def get(self, request: Request, lesson_id: int, *args: Any, **kwargs: Any) -> Response:
        school = current_school(request)
        lesson = access_lesson_for_roll_call(signed_in(request), school, lesson_id)
        rules = attendance_settings(school)
        return Response(
            {
                "lesson": lesson.pk,
                "taken": hasattr(lesson, "roll_call"),
                "open": roll_call_is_open(lesson, rules),
                "opens_at": roll_call_opens_at(lesson, rules),
                "not_open": roll_call_not_open_message(lesson, rules),
                "students": self._rows(lesson),
            }
        )

    @extend_schema(
        operation_id="roll_call",
        summary=gettext_lazy("Faire l'appel d'une séance"),
        description=gettext_lazy(
            "L'appel entier en une fois : les élèves absents, en retard (minutes), partis avant la fin (heure). "
            "Les autres sont présents. Il ouvre quelques minutes avant la séance (refusé avant, sans rien "
            "enregistrer) ; l'enseignant le corrige jusqu'au soir, la vie scolaire ensuite."
        ),
        request=RollCallInputSerializer,
        responses=ANSWERS,
    )
    def post(self, request: Request, lesson_id: int, *args: Any, **kwargs: Any) -> Response:
        lesson = access_lesson_for_roll_call(signed_in(request), current_school(request), lesson_id)
        payload = RollCallInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            take_roll_call(
                lesson=lesson,
                absent=set(data["absent"]),
                late={row["student"]: row["minutes"] for row in data["late"]},
                departures={row["student"]: row["left_at"] for row in data["departures"]},
                taken_by=signed_in(request),
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return Response({"lesson": lesson.pk, "taken": True, "students": self._rows(lesson)})

    def _rows(self, lesson: Any) -> list[dict[str, Any]]:
        return [sheet_row_data(row) for row in roll_call_sheet(lesson)]
