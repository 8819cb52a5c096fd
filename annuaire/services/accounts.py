"""A head's actions on one account of their school: deactivate, reactivate, reset the password.

Every function takes keyword arguments, runs in one transaction, and refuses bad requests
with a `ValidationError` whose message is in French (nothing is changed then). Callers run
inside the school's scope (the request's, or `school_scope` in a task).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import Membership, Profile, User
from annuaire.selectors import forget_cached_rights, profiles_in
from annuaire.services.activation import IssuedCode, issue_activation_codes
from schools.models import School
from schools.tenancy import cross_school


@dataclass(frozen=True)
class ActivationLetter:
    """What a printed activation letter carries; `code` is clear here and nowhere else."""

    school: School
    user: User
    code: str
    expires_at: datetime


def _check_may_act(*, membership: Membership, actor: User, own_account_message: str) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError(own_account_message)
    school = membership.school
    target_is_head = Membership.objects.filter(school=school, user_id=membership.user_id, profile=Profile.DIRECTION)
    actor_is_head = Profile.DIRECTION in profiles_in(actor, school) or actor.is_city_admin
    if not actor_is_head and target_is_head.exists():
        # A delegate must not take over or lock out the head who delegated to them.
        raise ValidationError(_("Seule la direction peut agir sur le compte d'un membre de la direction."))


def _memberships_here(membership: Membership) -> list[Membership]:
    return list(
        Membership.objects.select_for_update().filter(school_id=membership.school_id, user_id=membership.user_id)
    )


@transaction.atomic
def deactivate_account(*, membership: Membership, deactivated_by: User) -> int:
    """End the person's memberships in this school; with none left anywhere, the account itself.

    Returns the number of memberships deactivated.
    """
    _check_may_act(
        membership=membership,
        actor=deactivated_by,
        own_account_message=_("Vous ne pouvez pas désactiver votre propre compte."),
    )
    user = User.objects.select_for_update().get(pk=membership.user_id)
    active = [m for m in _memberships_here(membership) if m.active]
    if not active:
        raise ValidationError(_("Ce compte est déjà désactivé dans l'établissement."))
    now = timezone.now()
    Membership.objects.filter(pk__in=[m.pk for m in active]).update(active=False, ended_at=now)
    # Cross-school by nature: does the person still belong to another school?
    with cross_school():
        elsewhere = Membership.unscoped.filter(user=user, active=True).exists()
    if not elsewhere and user.is_active and not user.is_city_admin:
        user.is_active = False
        user.save(update_fields=["is_active"])
    forget_cached_rights(membership.user)
    return len(active)


@transaction.atomic
def reactivate_account(*, membership: Membership, reactivated_by: User) -> int:
    """Give the person back their memberships in this school (and their account). Returns how many."""
    _check_may_act(
        membership=membership,
        actor=reactivated_by,
        own_account_message=_("Vous ne pouvez pas réactiver votre propre compte."),
    )
    user = User.objects.select_for_update().get(pk=membership.user_id)
    inactive = [m for m in _memberships_here(membership) if not m.active]
    if not inactive and user.is_active:
        raise ValidationError(_("Ce compte est déjà actif dans l'établissement."))
    Membership.objects.filter(pk__in=[m.pk for m in inactive]).update(active=True, ended_at=None)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    forget_cached_rights(membership.user)
    return len(inactive)


@transaction.atomic
def reset_password(*, membership: Membership, reset_by: User) -> ActivationLetter:
    """Make the old password unusable and issue a new activation code for a printed letter.

    The person goes through activation again (code, new password); open sessions end,
    since they are tied to the old password.
    """
    _check_may_act(
        membership=membership,
        actor=reset_by,
        own_account_message=_("Pour changer votre propre mot de passe, passez par « Mot de passe oublié »."),
    )
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if (
        not user.is_active
        or not Membership.objects.filter(school_id=membership.school_id, user_id=user.pk, active=True).exists()
    ):
        raise ValidationError(_("Ce compte est désactivé : réactivez-le avant de lui donner un nouveau code."))
    user.set_unusable_password()
    # `activated_at` keeps the first activation (the city's activation figures count it).
    user.save(update_fields=["password"])
    return letters_for(school=membership.school, issued=issue_activation_codes(users=[user]))[0]


def letters_for(*, school: School, issued: Iterable[IssuedCode]) -> list[ActivationLetter]:
    """The letters printing codes just issued (`issue_activation_codes`) in `school`."""
    return [
        ActivationLetter(school=school, user=item.user, code=item.code, expires_at=item.expires_at) for item in issued
    ]
