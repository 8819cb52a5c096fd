"""DRF permission classes, and the query parsing, shared by every app's API.

Tenant API routes are `/api/v1/<uai>/...`. The tenant middleware has already resolved
the school (read with the request kit's `current_school`, a French 404 on a route without one)
and entered its scope, but it does not check membership for API views (DRF authenticates after
the middleware runs): `IsSchoolMember` does, with the same
`user.has_perm` as the pages. Every refusal is a JSON 403 or 404 with a French `detail`.

    permission_classes = [
        IsSchoolMember,
        ModuleEnabled.for_module("annuaire"),
        SchoolPermission.with_perm("schools.manage_accounts"),
    ]

A module's endpoints declare that stack in one call, and state only their right and its refusal:
`module_permissions(GRADES, VIEW_GRADES, message=_("Vous n'avez pas accès aux notes..."))`.
Their query strings go through `query_params(request, SomeQuerySerializer)` (a French 400 when invalid).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from annuaire.models import Membership, Profile
from annuaire.selectors import access_student
from schools import modules
from schools.models import SchoolService
from schools.modules import Module
from schools.permissions import ACCESS_SCHOOL
from schools.requests import current_school, profiles_here, signed_in
from schools.selectors import module_state


class IsSchoolMember(BasePermission):
    """An active membership in the URL's school (`schools.access_school`).

    City admins pass only on views that set `city_admin_allowed = True` (overview and
    administration, never students' or families' personal data), as on the pages.
    """

    message = gettext_lazy("Vous n'avez pas de compte actif dans cet établissement.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False  # DRF answers 401 for a request with no credentials
        school = current_school(request)
        if user.has_perm(ACCESS_SCHOOL, school):
            return True
        return bool(getattr(user, "is_city_admin", False) and getattr(view, "city_admin_allowed", False))


class SchoolPermission(BasePermission):
    """Requires `perm` on the URL's school; build one with `SchoolPermission.with_perm(perm)`."""

    perm: str = ""
    message = gettext_lazy("Vous n'avez pas le droit d'effectuer cette action dans cet établissement.")

    @classmethod
    def with_perm(cls, perm: str, message: str | Promise | None = None) -> type[SchoolPermission]:
        """`message` replaces the generic refusal with the module's own (in French)."""
        attributes: dict[str, Any] = {"perm": perm} if message is None else {"perm": perm, "message": message}
        return type(f"SchoolPermission[{perm}]", (cls,), attributes)

    def has_permission(self, request: Request, view: Any) -> bool:
        if not self.perm:
            raise TypeError("SchoolPermission needs a permission: use SchoolPermission.with_perm(...)")
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return bool(user.has_perm(self.perm, current_school(request)))


class ObjectPermission(BasePermission):
    """Requires `perm` on the object a view fetched; a refusal is a 404, which hides the object.

    Build one with `ObjectPermission.with_perm(perm)`; prefer an `access_<thing>` selector,
    and use this for objects a generic view fetches itself.
    """

    perm: str = ""

    @classmethod
    def with_perm(cls, perm: str) -> type[ObjectPermission]:
        return type(f"ObjectPermission[{perm}]", (cls,), {"perm": perm})

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if not self.perm:
            raise TypeError("ObjectPermission needs a permission: use ObjectPermission.with_perm(...)")
        if request.user.has_perm(self.perm, obj):
            return True
        raise exceptions.NotFound(_("Cet objet n'existe pas ou vous n'y avez pas accès."))


class ModuleEnabled(BasePermission):
    """The module must be switched on in the URL's school; otherwise 404, as for its pages."""

    module_code: str = ""

    @classmethod
    def for_module(cls, code: str) -> type[ModuleEnabled]:
        return type(f"ModuleEnabled[{code}]", (cls,), {"module_code": code})

    def has_permission(self, request: Request, view: Any) -> bool:
        module = modules.get(self.module_code)
        if module is None:
            raise TypeError(f"Unknown module {self.module_code!r}")
        school = current_school(request)
        services = getattr(request._request, "services", {})
        state, _url = module_state(services, module)
        if state in (SchoolService.State.OFF, SchoolService.State.EXTERNAL):
            raise exceptions.NotFound(
                _("Le service « %(module)s » n'est pas activé dans l'établissement %(school)s.")
                % {"module": module.label, "school": school.name}
            )
        return True


def module_permissions(
    module: Module, perm: str | None = None, *, message: str | Promise | None = None
) -> list[type[BasePermission]]:
    """The stack of a module's endpoints: an active member of the URL's school (`IsSchoolMember`), the module
    switched on there (`ModuleEnabled`), and, with `perm`, that right on the school, refused with `message`."""
    stack: list[type[BasePermission]] = [IsSchoolMember, ModuleEnabled.for_module(module.code)]
    if perm is not None:
        stack.append(SchoolPermission.with_perm(perm, message))
    return stack


def query_params(request: Request, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    """The query string read by `serializer_class`: its validated data, or a 400 naming each bad parameter."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


# The documentation (drf-spectacular) of what the family endpoints share.
CHILD = gettext_lazy("Pour un responsable : son enfant.")
STUDENT_PARAMETER = OpenApiParameter("student", OpenApiTypes.INT, description=CHILD)
DATE_RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True),
    OpenApiParameter("to", OpenApiTypes.DATE, required=True),
    STUDENT_PARAMETER,
]
NOT_FOUND = {404: OpenApiResponse(description=gettext_lazy("Absent, d'un autre établissement ou non autorisé."))}


def requested_student(request: Request, student_id: int | None, *, message: str) -> Membership:
    """The student a family endpoint is about: oneself, or the child a parent names (`student`); 404 with
    `message` for a student the user may not see."""
    school = current_school(request)
    user = signed_in(request)  # the IsSchoolMember permission ran first
    if student_id is not None:
        return access_student(user, school, student_id, message=message)
    if Profile.STUDENT not in profiles_here(request):
        raise exceptions.ValidationError({"student": [_("Précisez l'élève (student).")]})
    return access_student(user, school, user.pk, message=message)


MAX_RANGE_DAYS = 366


class DateRangeQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`?from=&to=[&student=]` of the family's endpoints (absences, homework, lesson entries)."""

    # `from` is a Python keyword: the field is declared under its query-string name below.
    to = serializers.DateField()
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs["from"], attrs["to"]
        if last < first or (last - first).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError(_("Choisissez une période d'un an au plus, « from » avant « to »."))
        return attrs


def requested_range(request: Request, *, message: str) -> tuple[Membership, datetime.date, datetime.date]:
    """The student and the days a family endpoint reads (`from`, `to`, `student`): a 400 for a bad range, a 404
    with `message` for a student the user may not see."""
    query = query_params(request, DateRangeQuerySerializer)
    return requested_student(request, query.get("student"), message=message), query["from"], query["to"]


def family_read_schema(
    operation_id: str,
    summary: str | Promise,
    description: str | Promise,
    *,
    parameters: list[OpenApiParameter] = DATE_RANGE_PARAMETERS,
    refusals: Iterable[int] = (400,),
) -> Any:
    """The documentation of a family endpoint's read of one student: its JSON, the `refusals` it answers besides,
    and not found for a student the user may not see."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        parameters=parameters,
        responses={200: OpenApiTypes.OBJECT, **dict.fromkeys(refusals, OpenApiTypes.OBJECT), **NOT_FOUND},
    )
