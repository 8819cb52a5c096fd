"""The navigation, built from the user's profiles and the school's switched-on services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from annuaire.selectors import profiles_in, user_schools
from schools import modules
from schools import permissions as school_perms
from schools.models import School, SchoolService
from schools.selectors import module_state
from vie_scolaire.permissions import IMPORT_TIMETABLE, MANAGE_CALENDAR


@dataclass
class NavEntry:
    label: str | Promise
    url: str
    external: bool = False
    active: bool = False


@dataclass
class Navigation:
    school: School | None = None
    schools: list[School] = field(default_factory=list)
    entries: list[NavEntry] = field(default_factory=list)
    admin_entries: list[NavEntry] = field(default_factory=list)
    is_city_admin: bool = False


_ADMIN_PAGES = (
    (school_perms.VIEW_OVERVIEW, "annuaire_admin:overview", _("Vue d'ensemble")),
    (school_perms.MANAGE_ACCOUNTS, "annuaire_admin:accounts", _("Comptes")),
    (school_perms.MANAGE_SERVICES, "schools:services", _("Services")),
    (school_perms.MANAGE_DELEGATIONS, "annuaire_admin:delegations", _("Délégations")),
    (MANAGE_CALENDAR, "timetable_admin:calendar", _("Calendrier")),
    (IMPORT_TIMETABLE, "timetable_admin:import", _("Import de l'emploi du temps")),
)


def module_is_on(request: HttpRequest, module: modules.Module) -> bool:
    """Whether the request's school runs this module here (neither off nor replaced by an external tool)."""
    state, _url = module_state(getattr(request, "services", {}), module)
    return state == SchoolService.State.ON


def module_entries(user: Any, school: School, services: dict[str, tuple[str, str]], path: str) -> list[NavEntry]:
    profiles = profiles_in(user, school)
    entries = []
    for module in modules.all_modules():
        if not profiles & module.profiles:
            continue
        if module.visible is not None and not module.visible(user, school):
            continue
        state, external_url = module_state(services, module)
        if state == SchoolService.State.OFF:
            continue
        if state == SchoolService.State.EXTERNAL and external_url:
            entries.append(NavEntry(module.label, external_url, external=True))
            continue
        url = reverse(module.url_name, kwargs={"uai": school.uai})
        entries.append(NavEntry(module.label, url, active=path.startswith(url)))
    return entries


def admin_entries(user: Any, school: School, path: str) -> list[NavEntry]:
    entries = [
        NavEntry(label, reverse(url_name, kwargs={"uai": school.uai}))
        for perm, url_name, label in _ADMIN_PAGES
        if user.has_perm(perm, school)
    ]
    # The overview's URL prefixes the other administration pages: the longest match is current.
    matching = [entry for entry in entries if path.startswith(entry.url)]
    if matching:
        max(matching, key=lambda entry: len(entry.url)).active = True
    return entries


def build_navigation(request: HttpRequest) -> Navigation:
    user = request.user
    if not user.is_authenticated:
        return Navigation()
    school = getattr(request, "school", None)
    nav = Navigation(school=school, schools=user_schools(user, school), is_city_admin=user.is_city_admin)
    if school is not None:
        services = getattr(request, "services", {})
        nav.entries = module_entries(user, school, services, request.path)
        nav.admin_entries = admin_entries(user, school, request.path)
    return nav
