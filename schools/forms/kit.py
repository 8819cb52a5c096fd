"""What a page was sent, read one way everywhere, and how a write went, said one way.

- `posted_id(request, name)`: an id from the posted form, or a French `ValidationError`.
- `posted_by_id(request, prefix)`: a sheet's `<prefix>-<id>` fields (one per student), by id.
- `parsed_date(text)` / `requested_date(request, default)`: an ISO date from a query or a form; the
  page's `?date=`, a malformed one said in French and the default shown instead.
- `saved(request, form, write, success)`: a service's write for a valid form, its refusal shown on the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

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
