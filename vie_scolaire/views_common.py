"""What the vie scolaire pages share: the request's school checked against a right, its user, posted ids."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from annuaire.models import Profile, User
from annuaire.selectors import children_in_school, profiles_in
from schools.access import require_perm
from schools.models import School


def school_with(request: HttpRequest, perm: str) -> School:
    """The school the tenant middleware resolved, once the user holds `perm` there (else 403)."""
    school: School = request.school  # type: ignore[attr-defined]
    require_perm(request.user, perm, school)
    return school


def user_of(request: HttpRequest) -> User:
    # Tenant pages are reached signed in only: the tenant middleware sends the others to log in.
    return cast(User, request.user)


_MAX_ID = 2**63 - 1  # larger ids are forged: refused rather than overflowing the database


def posted_id(request: HttpRequest, name: str) -> int:
    """An id from the posted form, or a French `ValidationError` for anything else."""
    raw = request.POST.get(name, "")
    if not raw.isdigit() or int(raw) > _MAX_ID:
        raise ValidationError(_("Élément inconnu."))
    return int(raw)


def posted_by_id(request: HttpRequest, prefix: str) -> dict[int, str]:
    """The form's `<prefix>-<id>` fields (one per student on a sheet), by id; other names are ignored."""
    found = {}
    for name, value in request.POST.items():
        head, _dash, tail = name.partition("-")
        if head == prefix and tail.isdigit() and len(tail) < 19:
            found[int(tail)] = str(value).strip()
    return found


def own_student_id(user: User, school: School) -> int | None:
    """Whose page a module's home opens on: a student's own, a parent's first child's (a parent who is also
    staff or a teacher lands on the module's own home instead); None for everyone else."""
    profiles = profiles_in(user, school)
    if Profile.STUDENT in profiles:
        return int(user.pk)
    children = children_in_school(user, school)
    if children and not profiles & {Profile.TEACHER, Profile.STAFF, Profile.DIRECTION}:
        return int(children[0].pk)
    return None


def parsed_date(text: str) -> datetime.date | None:
    """An ISO date (`2026-11-30`) read from a query or a form, or None for anything else."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def requested_date(request: HttpRequest, default: datetime.date) -> datetime.date:
    """The page's `?date=`, else `default`; a malformed one is said, in French, and the default shown."""
    raw = request.GET.get("date", "")
    found = parsed_date(raw) if raw else None
    if raw and found is None:
        messages.warning(
            request, _("La date « %(value)s » n'est pas valide : voici la semaine en cours.") % {"value": raw[:20]}
        )
    return found or default


def saved(request: HttpRequest, form: BaseForm, write: Callable[[], object], success: str) -> bool:
    """Run a service's write for a valid form: its refusal shown on the form, else `success` said.

    Answers whether the write happened (the page then redirects; else it shows the form again).
    """
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, success)
    return True
