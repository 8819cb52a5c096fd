"""Resolves the request's school once, checks the membership, enters the school's scope.

Tenant URLs carry the UAI (`/<uai>/...`). A page needs an active membership in that
school; city admins reach only the pages marked `city_admin_allowed` (overview and
administration, never students' or families' personal data). API views authenticate in
DRF, after this middleware: their membership check is `annuaire.api.permissions.IsSchoolMember`.
A module switched off by the school answers 404; one replaced by an external tool
redirects there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from annuaire.selectors import read_person_in_school
from schools import modules
from schools.models import School, SchoolService
from schools.permissions import ACCESS_SCHOOL
from schools.selectors import module_state, school_by_uai, service_states
from schools.tenancy import school_scope


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = None  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            scope = getattr(request, "_school_scope", None)
            if scope is not None:
                scope.__exit__(None, None, None)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        uai = view_kwargs.get("uai")
        if uai is None:
            return None
        school = school_by_uai(uai)
        if school is None:
            raise Http404(_("Aucun établissement ne porte l'UAI %(uai)s.") % {"uai": uai})
        # A signed-in person's memberships, delegated rights and the school's services: one statement.
        services = read_person_in_school(request.user, school) if request.user.is_authenticated else None
        if not hasattr(view_func, "cls"):
            refusal = self._check_member(request, view_func, school)
            if refusal is not None:
                return refusal
        # Set only once the page may be shown: a refusal page must not present the school as the user's.
        request.school = school  # type: ignore[attr-defined]
        scope = school_scope(school)
        scope.__enter__()
        request._school_scope = scope  # type: ignore[attr-defined]
        request.services = service_states(school) if services is None else services  # type: ignore[attr-defined]
        return self._check_service(request)

    def _check_member(self, request: HttpRequest, view_func: Callable[..., Any], school: School) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.has_perm(ACCESS_SCHOOL, school):
            return None
        if user.is_city_admin and getattr(view_func, "city_admin_allowed", False):
            return None
        raise PermissionDenied(_("Vous n'avez pas de compte actif dans cet établissement."))

    def _check_service(self, request: HttpRequest) -> HttpResponse | None:
        match = request.resolver_match
        namespaces = match.namespaces if match else []
        for namespace in namespaces:
            module = modules.get(namespace)
            if module is None:
                continue
            state, url = module_state(request.services, module)  # type: ignore[attr-defined]
            if state == SchoolService.State.OFF:
                raise Http404(
                    _("Le service « %(module)s » n'est pas activé dans cet établissement.") % {"module": module.label}
                )
            if state == SchoolService.State.EXTERNAL and url:
                return HttpResponseRedirect(url)
        return None
