"""The homework book API: a student's (or a parent's child's) homework and lesson entries, the student's tick."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
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
from annuaire.models import Membership, User
from cahier_textes import selectors
from cahier_textes.modules import HOMEWORK
from cahier_textes.permissions import TICK_HOMEWORK, VIEW_BOOK
from cahier_textes.serializers import DoneSerializer, entry_data, homework_data
from cahier_textes.services import tick_homework
from schools.requests import current_school, signed_in

BOOK_PERMISSIONS = module_permissions(
    HOMEWORK, VIEW_BOOK, message=gettext_lazy("Vous n'avez pas accès au cahier de textes de cet établissement.")
)


# The book's endpoints: a member of the school, the module on, the right to read the book.
# (No docstring: it would become the OpenAPI description of the endpoints that have none.)
@extend_schema(tags=["cahier de textes"])
class BookAPIView(APIView):
    permission_classes = BOOK_PERMISSIONS


TICK_PERMISSION = SchoolPermission.with_perm(TICK_HOMEWORK, gettext_lazy("Seul l'élève coche son propre travail."))


def _range_and_student(request: Request) -> tuple[Membership, datetime.date, datetime.date]:
    return requested_range(
        request, message=_("Cet élève n'existe pas ou vous n'avez pas accès à son cahier de textes.")
    )


class HomeworkView(BookAPIView):
    @family_read_schema(
        "homework",
        gettext_lazy("Travail à faire d'un élève"),
        gettext_lazy(
            "Le travail à rendre entre deux dates (`from`, `to`, un an au plus), avec son état (fait ou non) ; "
            "`description` est du HTML déjà nettoyé."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership, first, last = _range_and_student(request)
        days = selectors.student_homework(membership, first, last)
        return Response([homework_data(item) for _day, items in days for item in items])


class LessonEntriesView(BookAPIView):
    @family_read_schema(
        "lesson_entries",
        gettext_lazy("Contenu des séances d'un élève"),
        gettext_lazy("Ce qui a été fait dans ses séances entre deux dates ; `content` est du HTML nettoyé."),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership, first, last = _range_and_student(request)
        return Response([entry_data(entry) for entry in selectors.student_entries(membership, first, last)])


class HomeworkDoneView(BookAPIView):
    permission_classes = [*BOOK_PERMISSIONS, TICK_PERMISSION]

    @extend_schema(
        operation_id="homework_done",
        summary=gettext_lazy("Cocher un travail comme fait (ou non)"),
        request=DoneSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, **NOT_FOUND},
    )
    def post(self, request: Request, homework_id: int, *args: Any, **kwargs: Any) -> Response:
        user: User = signed_in(request)
        homework = selectors.access_homework_to_tick(user, current_school(request), homework_id)
        payload = DoneSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        tick_homework(homework=homework, student=user, done=payload.validated_data["done"])
        return Response({"id": homework.pk, "done": payload.validated_data["done"]})
