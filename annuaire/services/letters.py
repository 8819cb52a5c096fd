"""Activation letters printed by the school, a division (or the staff) at a time.

`issue_letters` is the write: a fresh one-time code for every account of the list that has
not been activated yet, in bulk and in one transaction. An account already activated is
never reset by a bulk print (only the single-account "new code" of the accounts page does
that): it is left out and counted.

The reads that feed it (who is pending in each division, who gets a letter when a
division is printed) are in `annuaire.selectors.letters`. Callers run inside the school's
scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from annuaire.models import Membership, Profile, User
from annuaire.selectors import profiles_in
from annuaire.services.accounts import ActivationLetter, letters_for
from annuaire.services.activation import issue_activation_codes
from schools.models import School


class LetterBatch(list[ActivationLetter]):
    """The letters of one print, in the order asked, plus what was left out.

    `skipped`: accounts already activated (never reset by a bulk print), the issuer's own
    included; `inactive`: deactivated accounts or memberships; `reserved`: members of the
    direction, whose letters only the direction prints.
    """

    def __init__(
        self, letters: Iterable[ActivationLetter], *, skipped: int = 0, inactive: int = 0, reserved: int = 0
    ) -> None:
        super().__init__(letters)
        self.skipped = skipped
        self.inactive = inactive
        self.reserved = reserved


@transaction.atomic
def issue_letters(*, school: School, memberships: Sequence[Membership], issued_by: User) -> LetterBatch:
    """A fresh activation code for each not-yet-activated account of `memberships`, in bulk.

    A person listed under several memberships gets one letter. Members of the direction get
    one only when the issuer belongs to the direction too (a delegate must not take over a
    head's account). Refuses (`ValidationError`, nothing changed) a membership of another
    school. A constant number of queries whatever the number of letters.
    """
    wanted = list(dict.fromkeys(m.pk for m in memberships))
    # Locks the people too: an activation racing with the print cannot get a fresh code afterwards.
    rows = {
        m.pk: m
        for m in Membership.objects.select_for_update().select_related("user").filter(school=school, pk__in=wanted)
    }
    if len(rows) != len(wanted):
        raise ValidationError(_("Une des personnes demandées n'appartient pas à l'établissement."))
    heads: set[int] = set()
    if Profile.DIRECTION not in profiles_in(issued_by, school):
        heads = set(
            Membership.objects.filter(
                school=school, profile=Profile.DIRECTION, user__in={m.user_id for m in rows.values()}
            ).values_list("user", flat=True)
        )

    to_issue: list[User] = []
    seen: set[int] = set()
    skipped = inactive = reserved = 0
    for membership in (rows[pk] for pk in wanted):
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        if not membership.active or not user.is_active:
            inactive += 1
        elif user.activated_at is not None or user.pk == issued_by.pk:
            skipped += 1
        elif user.pk in heads:
            reserved += 1
        else:
            to_issue.append(user)
    issued = issue_activation_codes(users=to_issue) if to_issue else []
    return LetterBatch(letters_for(school=school, issued=issued), skipped=skipped, inactive=inactive, reserved=reserved)
