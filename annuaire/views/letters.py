"""Heads' activation letters: per division (students and their parents) or for the staff,
as one PDF to print or a CSV. The clear codes exist only in that one response.

Not open to city admins: unlike the rest of the administration, these pages carry the
personal codes of students and families.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from annuaire.models import Division
from annuaire.selectors.letters import (
    LetterRecipient,
    access_letter_division,
    division_recipients,
    letters_overview,
    staff_recipients,
)
from annuaire.services.accounts import ActivationLetter
from annuaire.services.letters import LetterBatch, issue_letters
from schools import permissions as school_perms
from schools.access import require_perm
from schools.pdf import pdf_writer
from schools.requests import current_school, signed_in

FORMATS = ("pdf", "csv")


def _require_letters_right(request: HttpRequest) -> None:
    require_perm(
        signed_in(request),
        school_perms.MANAGE_PERSONAL_DATA,
        current_school(request),
        message=_(
            "Les lettres d'activation portent les codes personnels des élèves et des familles : "
            "seul l'établissement les imprime."
        ),
    )


@require_GET
def letters(request: HttpRequest, uai: str) -> HttpResponse:
    school = current_school(request)
    _require_letters_right(request)
    return render(
        request,
        "annuaire/letters/letters.html",
        {"school": school, "overview": letters_overview(school, signed_in(request))},
    )


def print_division(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = current_school(request)
    _require_letters_right(request)
    division = access_letter_division(signed_in(request), school, division_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _print(request, division_recipients(school, division), title=division.name, division=division)


def print_staff(request: HttpRequest, uai: str) -> HttpResponse:
    school = current_school(request)
    _require_letters_right(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _print(request, staff_recipients(school, signed_in(request)), title=_("Personnels"), division=None)


# --- the print ---------------------------------------------------------------------------


@dataclass
class PrintedLetter:
    letter: ActivationLetter
    recipient: LetterRecipient

    @property
    def profile_label(self) -> str:
        return str(self.recipient.membership.get_profile_display())


def _back(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("annuaire_admin:letters", kwargs={"uai": current_school(request).uai}))


def _print(
    request: HttpRequest, recipients: list[LetterRecipient], *, title: str, division: Division | None
) -> HttpResponse:
    school = current_school(request)
    output = request.POST.get("format")
    if output not in FORMATS:
        messages.error(
            request, _("Choisissez « Imprimer les lettres (PDF) » ou « Exporter (CSV) ». Aucun code n'a été créé.")
        )
        return _back(request)
    write_pdf = pdf_writer() if output == "pdf" else None
    if output == "pdf" and write_pdf is None:
        messages.error(
            request,
            _("L'impression en PDF n'est pas disponible sur ce serveur : exportez le CSV. Aucun code n'a été créé."),
        )
        return _back(request)
    # Issue and render together: if the document cannot be made, no code is replaced.
    with transaction.atomic():
        try:
            batch = issue_letters(
                school=school,
                memberships=[r.membership for r in recipients],
                issued_by=signed_in(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back(request)
        if not batch:
            messages.info(request, _nothing_to_print(title, batch))
            return _back(request)
        by_user = {r.membership.user_id: r for r in recipients}
        printed = [PrintedLetter(letter, by_user[letter.user.pk]) for letter in batch]
        filename = f"lettres-activation-{slugify(title) or 'classe'}-{timezone.localdate():%Y-%m-%d}"
        if write_pdf is not None:
            response = _pdf_response(request, printed, write_pdf, title=title, filename=filename)
        else:
            response = _csv_response(printed, division=division, filename=filename)
    messages.success(request, _printed_summary(title, batch))
    # The clear codes live in this one response only: never cached, never stored.
    add_never_cache_headers(response)
    return response


def _nothing_to_print(title: str, batch: LetterBatch) -> str:
    return _("%(title)s : aucune lettre à imprimer, tous les comptes sont déjà activés ou désactivés.") % {
        "title": title
    } + _left_out(batch)


def _printed_summary(title: str, batch: LetterBatch) -> str:
    count = len(batch)
    return ngettext(
        "%(title)s : %(count)d lettre d'activation imprimée.",
        "%(title)s : %(count)d lettres d'activation imprimées.",
        count,
    ) % {"title": title, "count": count} + _left_out(batch)


def _left_out(batch: LetterBatch) -> str:
    parts = []
    if batch.skipped:
        parts.append(
            ngettext(
                "%(count)d compte déjà activé n'a pas reçu de nouveau code.",
                "%(count)d comptes déjà activés n'ont pas reçu de nouveau code.",
                batch.skipped,
            )
            % {"count": batch.skipped}
        )
    if batch.reserved:
        parts.append(
            ngettext(
                "%(count)d compte de la direction est réservé à la direction.",
                "%(count)d comptes de la direction sont réservés à la direction.",
                batch.reserved,
            )
            % {"count": batch.reserved}
        )
    return "".join(f" {part}" for part in parts)


def _pdf_response(
    request: HttpRequest,
    printed: list[PrintedLetter],
    write_pdf: Callable[[str], bytes],
    *,
    title: str,
    filename: str,
) -> HttpResponse:
    html = render_to_string(
        "annuaire/letters/letters_pdf.html",
        {
            "school": current_school(request),
            "printed": printed,
            "title": title,
            "activation_url": request.build_absolute_uri(reverse("account_activate")),
            "today": timezone.localdate(),
        },
        request=request,
    )
    response = HttpResponse(write_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


# --- CSV -----------------------------------------------------------------------------------


def _csv_cell(value: object) -> str:
    text = str(value)
    # A cell starting with a formula sign would run in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _csv_response(printed: list[PrintedLetter], *, division: Division | None, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # the BOM lets Excel in French read UTF-8
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Division"),
            _("Nom"),
            _("Prénom"),
            _("Profil"),
            _("Identifiant"),
            _("Code d'activation"),
            _("Valable jusqu'au"),
        ]
    )
    division_name = division.name if division is not None else _("Personnels")
    for item in printed:
        user = item.letter.user
        writer.writerow(
            [
                _csv_cell(division_name),
                _csv_cell(user.last_name),
                _csv_cell(user.first_name),
                item.profile_label,
                _csv_cell(user.username),
                item.letter.code,
                f"{timezone.localtime(item.letter.expires_at):%d/%m/%Y}",
            ]
        )
    return response
