"""The directory's API: who am I, the divisions I may see, a school's accounts (heads).

Same selectors and `user.has_perm` checks as the pages; no query here beyond them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import IsSchoolMember, SchoolPermission, module_permissions, query_params
from annuaire.models import Division, User
from annuaire.modules import DIRECTORY
from annuaire.permissions import VIEW_DIRECTORY
from annuaire.selectors import (
    access_division,
    children_by_school,
    division_members,
    profiles_in,
    user_schools,
    visible_divisions,
)
from annuaire.selectors.admin import account_rows, school_accounts
from annuaire.serializers import (
    AccountFilterSerializer,
    AccountSerializer,
    DivisionDetailSerializer,
    DivisionSerializer,
    MeSerializer,
)
from schools.permissions import MANAGE_ACCOUNTS
from schools.requests import current_school, signed_in

REFUSED = {
    401: OpenApiResponse(description=_("Non authentifié : session ou jeton absent, invalide ou révoqué.")),
    403: OpenApiResponse(description=_("Pas de compte actif dans cet établissement, ou droit manquant.")),
}
NOT_FOUND = {404: OpenApiResponse(description=_("Absent, d'un autre établissement, ou non autorisé."))}


class MeView(APIView):
    """The signed-in user, their schools and profiles, and (for parents) their children."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me",
        summary=_("Mon compte"),
        description=_(
            "La personne connectée, ses établissements et ses profils dans chacun, et pour un responsable "
            "légal ses enfants par établissement."
        ),
        responses={200: MeSerializer, 401: REFUSED[401]},
        tags=["annuaire"],
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        children = {school.pk: kids for school, kids in children_by_school(user)}
        schools = [
            {
                "uai": school.uai,
                "name": school.name,
                "kind": school.kind,
                "profiles": sorted(profiles_in(user, school)),
                "children": children.get(school.pk, []),
            }
            for school in user_schools(user)
        ]
        return Response(MeSerializer(user, context={"schools": schools}).data)


DIRECTORY_PERMISSIONS = module_permissions(
    DIRECTORY, VIEW_DIRECTORY, message=_("Vous n'avez pas accès à l'annuaire de cet établissement.")
)


@extend_schema_view(
    get=extend_schema(
        summary=_("Classes visibles"),
        description=_(
            "Les classes de l'établissement que vous pouvez voir : toutes pour la direction et la vie scolaire, "
            "celles de vos services pour un enseignant, celle de l'élève pour lui et ses responsables."
        ),
        responses={200: DivisionSerializer(many=True), **REFUSED},
    )
)
@extend_schema(tags=["annuaire"])
class DivisionListView(generics.ListAPIView):
    """The divisions of the school this user may see (all of them for staff and heads)."""

    permission_classes = DIRECTORY_PERMISSIONS
    serializer_class = DivisionSerializer

    def get_queryset(self) -> QuerySet[Division]:
        return visible_divisions(signed_in(self.request), current_school(self.request)).select_related("mef")


@extend_schema_view(
    get=extend_schema(
        summary=_("Une classe"),
        description=_(
            "Une classe : ses enseignants avec leur matière, et les élèves que vous pouvez voir (un responsable "
            "ne voit que son enfant). Une classe d'un autre établissement ou non autorisée répond 404."
        ),
        parameters=[OpenApiParameter("division_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: DivisionDetailSerializer, **REFUSED, **NOT_FOUND},
    )
)
@extend_schema(tags=["annuaire"])
class DivisionDetailView(generics.RetrieveAPIView):
    """One division: its teachers (with subjects) and the students this user may see."""

    permission_classes = DIRECTORY_PERMISSIONS
    serializer_class = DivisionDetailSerializer

    def get_object(self) -> Division:
        user = signed_in(self.request)
        division = access_division(user, current_school(self.request), self.kwargs["division_id"])
        members = division_members(user, division)
        division.assignments_visible = members["assignments"]  # type: ignore[attr-defined]
        division.students_visible = members["students"]  # type: ignore[attr-defined]
        return division


@extend_schema_view(
    get=extend_schema(
        summary=_("Comptes de l'établissement"),
        description=_(
            "Les personnes de l'établissement et leurs appartenances, comme sur la page des comptes : réservé "
            "aux titulaires du droit « gérer les comptes » (direction, délégation, Ville)."
        ),
        parameters=[AccountFilterSerializer],
        responses={
            200: AccountSerializer(many=True),
            400: OpenApiResponse(description=_("Filtre invalide.")),
            **REFUSED,
        },
    )
)
@extend_schema(tags=["annuaire"])
class AccountListView(generics.ListAPIView):
    """The school's accounts (memberships), for holders of `schools.manage_accounts`."""

    # As on the heads' page, city admins may list a school's accounts.
    city_admin_allowed = True
    permission_classes = [IsSchoolMember, SchoolPermission.with_perm(MANAGE_ACCOUNTS)]
    serializer_class = AccountSerializer

    def get_queryset(self) -> QuerySet[User]:
        filters = query_params(self.request, AccountFilterSerializer)
        return school_accounts(
            current_school(self.request),
            search=filters.get("q", ""),
            profile=filters.get("profile", ""),
            state=filters.get("state", ""),
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(account_rows(page or []), many=True).data)
