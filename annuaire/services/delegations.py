"""Rights a head delegates to one member of their school (django-guardian rows on the School).

Keyword arguments, one transaction each; a refused request raises `ValidationError` with a
French message and changes nothing.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from annuaire.models import Membership, Profile, User
from annuaire.selectors import forget_cached_rights, permission_label
from schools.models import School, SchoolUserObjectPermission
from schools.permissions import DELEGABLE_PERMISSIONS

logger = logging.getLogger(__name__)

DELEGATE_PROFILES = (Profile.STAFF, Profile.TEACHER)


def _delegation_rows(*, school: School, user: User, permission: str) -> QuerySet[SchoolUserObjectPermission]:
    app_label, _dot, codename = permission.partition(".")
    return SchoolUserObjectPermission.objects.filter(
        content_object=school,
        user=user,
        permission__content_type__app_label=app_label,
        permission__codename=codename,
    )


@transaction.atomic
def grant_delegation(*, school: School, user: User, permission: str, granted_by: User) -> SchoolUserObjectPermission:
    """Let `user`, an active staff member or teacher of `school`, hold `permission` there."""
    if permission not in DELEGABLE_PERMISSIONS:
        raise ValidationError(_("Ce droit ne peut pas être délégué."))
    is_delegate = Membership.objects.filter(
        school=school, user=user, active=True, profile__in=DELEGATE_PROFILES
    ).exists()
    if not user.is_active or not is_delegate:
        raise ValidationError(
            _("%(name)s n'est pas un membre du personnel ou un enseignant en activité dans l'établissement.")
            % {"name": user.get_full_name() or user.username}
        )
    if _delegation_rows(school=school, user=user, permission=permission).exists():
        raise ValidationError(
            _("%(name)s détient déjà le droit « %(right)s ».")
            % {"name": user.get_full_name(), "right": permission_label(permission)}
        )
    row = assign_perm(permission, user, school)
    forget_cached_rights(user)
    logger.info("delegation granted: school=%s user=%s perm=%s by=%s", school.pk, user.pk, permission, granted_by.pk)
    return row  # type: ignore[return-value]


@transaction.atomic
def withdraw_delegation(*, school: School, user: User, permission: str, withdrawn_by: User) -> None:
    """Take back a right delegated to `user` in `school`."""
    if not _delegation_rows(school=school, user=user, permission=permission).exists():
        raise ValidationError(_("Cette personne ne détient pas ce droit dans l'établissement."))
    remove_perm(permission, user, school)
    forget_cached_rights(user)
    logger.info(
        "delegation withdrawn: school=%s user=%s perm=%s by=%s", school.pk, user.pk, permission, withdrawn_by.pk
    )
