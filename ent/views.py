"""Base views: personal home, school home, health, accessibility statement, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annuaire.selectors import children_by_school, followed_students, user_schools
from cahier_textes.modules import HOMEWORK
from cahier_textes.permissions import VIEW_BOOK
from cahier_textes.selectors import homework_for_home, next_school_day
from communication.announcements.modules import ANNOUNCEMENTS
from communication.announcements.permissions import VIEW_ANNOUNCEMENTS
from communication.announcements.selectors import home_announcements
from ent.health import run_checks
from ent.navigation import module_is_on
from schools.access import city_admin_allowed
from schools.requests import current_school, profiles_here, signed_in
from schools.uai import has_uai_shape
from vie_scolaire.modules import TIMETABLE
from vie_scolaire.permissions import VIEW_TIMETABLE
from vie_scolaire.timetable.selectors.home import home_audiences, next_lessons_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The personal home: every school of the user and, for parents, their children."""
    user = signed_in(request)
    return render(
        request,
        "ent/home.html",
        {"schools": user_schools(user), "children_by_school": children_by_school(user)},
    )


# The home page shows the newest current announcements; the list page has them all.
HOME_ANNOUNCEMENTS = 5


@city_admin_allowed
def school_home(request: HttpRequest, uai: str) -> HttpResponse:
    school = current_school(request)
    user = signed_in(request)
    shows_timetable = user.has_perm(VIEW_TIMETABLE, school) and module_is_on(request, TIMETABLE)
    shows_homework = user.has_perm(VIEW_BOOK, school) and module_is_on(request, HOMEWORK)
    shows_announcements = user.has_perm(VIEW_ANNOUNCEMENTS, school) and module_is_on(request, ANNOUNCEMENTS)
    # Whose day the page shows (one's own, one's children's) and their lessons, read once for its three parts.
    followed = followed_students(user, school) if shows_timetable or shows_homework or shows_announcements else None
    students = home_audiences(followed) if followed is not None and (shows_timetable or shows_homework) else []
    next_lessons = []
    if shows_timetable:
        next_lessons = next_lessons_for(user, school, timezone.now(), students)
    homework_day = next_school_day(timezone.localdate())
    homework = []
    if shows_homework:
        homework = homework_for_home(user, school, homework_day, students)
    announcements = []
    if shows_announcements:
        announcements = home_announcements(user, school, timezone.now(), followed, HOME_ANNOUNCEMENTS)
    context = {
        "school": school,
        "announcements": announcements,
        "profiles": sorted(profiles_here(request)),
        "next_lessons": next_lessons,
        "homework": homework,
        "homework_day": homework_day,
    }
    return render(request, "ent/school_home.html", context)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    usable = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if usable else "error", "checks": checks}, status=200 if usable else 503)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "ent/accessibility.html", {"settings_support_email": settings.ENT_SUPPORT_EMAIL})


def _error_message(exception: Exception | None) -> str:
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) else ""


def _error_response(request: HttpRequest, template: str, message: str, status: int) -> HttpResponse:
    # API clients (a phone app) read JSON, like DRF's own refusals.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, template, {"message": message}, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _error_message(exception) or _("Vous n'avez pas accès à cette page.")
    return _error_response(request, "403.html", message, 403)


def _top_level_prefixes() -> set[str]:
    prefixes = set()
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern).lstrip("^")
        prefixes.add(route.split("/", 1)[0])
    return prefixes


def _stands_for_a_uai(segment: str) -> bool:
    """An unknown first path segment that looks like an attempt at an identifier."""
    if not segment.isalnum() or not 4 <= len(segment) <= 12 or has_uai_shape(segment):
        return False
    return segment not in _top_level_prefixes()


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _error_message(exception)
    first_segment = request.path.strip("/").split("/", 1)[0]
    # Where a UAI belongs, a mistyped one deserves a precise answer rather than a bare "not found".
    if not message and _stands_for_a_uai(first_segment):
        message = _(
            "« %(value)s » n'est pas un UAI : un UAI compte 7 chiffres suivis d'une lettre (par exemple 0750680G)."
        ) % {"value": first_segment}
    if not message or "Resolver404" in message or message.startswith("{"):
        message = _("Cette page n'existe pas ou n'existe plus.")
    return _error_response(request, "404.html", message, 404)
