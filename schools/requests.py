"""The request kit: what every view and API module asks of a request, answered in one place.

- `current_school(request)`: the school the tenant middleware resolved from the URL's UAI (pages and
  API alike; a DRF `Request` is read through to its Django request). A route with no school answers 404.
- `school_with(request, perm)`: the same, once the signed-in user holds `perm` there (else 403, in French).
- `signed_in(request)`: the signed-in user. Tenant pages are reached signed in only (the tenant
  middleware sends the others to sign in; DRF's permission classes refuse anonymous calls).
- `profiles_here(request)`: the user's profiles in the current school ("student", "teacher", ...).

Its siblings: `schools.access` holds the refusals (`require_perm`, 403; `not_found`, the 404 of every
`access_<thing>` fetcher) and `schools.forms.kit` reads what a page was sent (`posted_id`,
`requested_date`) and says how a write went (`saved`).

Memberships belong to the directory (`annuaire`), which `schools` does not import: the directory
registers how profiles are read (`register_profiles_reader`) when its app is ready, as modules
register their switches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from schools.access import not_found, require_perm
from schools.models import School

_profiles_reader: Callable[[Any, School], set[str]] | None = None


def register_profiles_reader(reader: Callable[[Any, School], set[str]]) -> None:
    """Called once by the directory's app: `reader(user, school)` answers the user's profiles there."""
    global _profiles_reader
    _profiles_reader = reader


def _django_request(request: Any) -> HttpRequest:
    # A DRF Request wraps the Django request the middleware annotated.
    return getattr(request, "_request", request)


def current_school(request: Any) -> School:
    """The URL's school, as the tenant middleware resolved it; 404 on a route without one."""
    school = getattr(_django_request(request), "school", None)
    if school is None:
        not_found(_("Cette adresse ne désigne aucun établissement."))
    return school


def school_with(request: Any, perm: str) -> School:
    """The URL's school, once the user holds `perm` there (403 with a French message otherwise)."""
    school = current_school(request)
    require_perm(request.user, perm, school)
    return school


def signed_in(request: Any) -> Any:
    """The signed-in user (the directory's `User`)."""
    return request.user


def profiles_here(request: Any) -> set[str]:
    """The signed-in user's profiles in the URL's school."""
    if _profiles_reader is None:
        raise RuntimeError("no profiles reader registered: is the directory app (annuaire) installed?")
    return _profiles_reader(request.user, current_school(request))
