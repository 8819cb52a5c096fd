"""A URLconf for the request kit's tests: a page and an API view that answer what the kit reads,
each with and without a school in its route, before the project's own routes (which its error
pages link to)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import IsSchoolMember
from ent.urls import handler403, handler404
from ent.urls import urlpatterns as project_patterns
from schools.permissions import MANAGE_SERVICES
from schools.requests import current_school, profiles_here, school_with, signed_in


def _answer(request: Any) -> dict[str, Any]:
    return {
        "uai": current_school(request).uai,
        "user": signed_in(request).username,
        "profiles": sorted(profiles_here(request)),
    }


def page(request: HttpRequest, uai: str = "") -> JsonResponse:
    return JsonResponse(_answer(request))


def services_page(request: HttpRequest, uai: str) -> JsonResponse:
    return JsonResponse({"uai": school_with(request, MANAGE_SERVICES).uai})


class KitView(APIView):
    permission_classes = [IsSchoolMember]

    def get(self, request: Request, uai: str) -> Response:
        return Response(_answer(request))


class NoSchoolView(APIView):
    def get(self, request: Request) -> Response:
        return Response(_answer(request))


tenant_patterns = [path("kit/", page, name="kit-page"), path("kit/services/", services_page, name="kit-services")]

urlpatterns = [
    path("sans-etablissement/", page, name="kit-no-school"),
    path("api/v1/kit/", NoSchoolView.as_view(), name="kit-api-no-school"),
    path("api/v1/<uai:uai>/kit/", KitView.as_view(), name="kit-api"),
    path("<uai:uai>/", include(tenant_patterns)),
    *project_patterns,
]

__all__ = ["handler403", "handler404", "urlpatterns"]
