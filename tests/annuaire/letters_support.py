"""What the activation letters' tests share: URLs, CSV reading, codes pending, the PDF library check."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from annuaire.models import ActivationCode, Division, Membership, User

CSV_HEADER = ["Division", "Nom", "Prénom", "Profil", "Identifiant", "Code d'activation", "Valable jusqu'au"]


def _weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return (
            f"weasyprint cannot load ({type(error).__name__}: {error}); "
            "install it with Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        )
    return None


requires_weasyprint = pytest.mark.skipif(_weasyprint_problem() is not None, reason=str(_weasyprint_problem()))


def memberships(cast, *users: User) -> list[Membership]:
    return [Membership.unscoped.get(school=cast.school, user=user) for user in users]


def activate(user: User) -> None:
    User.objects.filter(pk=user.pk).update(activated_at=timezone.now())


def letters_url(cast) -> str:
    return reverse("annuaire_admin:letters", kwargs={"uai": cast.school.uai})


def division_url(cast, division: Division) -> str:
    return reverse("annuaire_admin:letters_division", kwargs={"uai": cast.school.uai, "division_id": division.pk})


def staff_url(cast) -> str:
    return reverse("annuaire_admin:letters_staff", kwargs={"uai": cast.school.uai})


def pending_codes(*users: User) -> int:
    return ActivationCode.objects.filter(user__in=users, used_at=None).count()


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "the CSV starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
