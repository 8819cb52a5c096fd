"""Rights a head delegates to one member of their school (django-guardian rows on the School).

Keyword arguments, one transaction each; a refused request raises `ValidationError` with a
French message and changes nothing.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from annuaire.models import Membership, Profile, User
from annuaire.selectors import forget_cached_rights
from annuaire.selectors.admin import permission_label
from schools.models import School, SchoolUserObjectPermission
from schools.permissions import DELEGABLE_PERMISSIONS

logger = logging.getLogger(__name__)

DELEGATE_PROFILES = (Profile.STAFF, Profile.TEACHER)


def _permission_row(permission: str) -> Permission:
    """The auth permission a delegation row points at: the School model's own for the schools app's rights;
    another app's delegable right is a permission of the School model named with its full name
    (`cahier_textes.sign_visa`), created the first time it is delegated."""
    app_label, _dot, codename = permission.partition(".")
    school_type = ContentType.objects.get_for_model(School)
    if app_label == School._meta.app_label:
        return Permission.objects.get(content_type=school_type, codename=codename)
    row, _created = Permission.objects.get_or_create(
        content_type=school_type, codename=permission, defaults={"name": str(permission_label(permission))[:255]}
    )
    return row


def _delegation_rows(*, school: School, user: User, permission: str) -> QuerySet[SchoolUserObjectPermission]:
    return SchoolUserObjectPermission.objects.filter(
        content_object=school, user=user, permission=_permission_row(permission)
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
    row = assign_perm(_permission_row(permission), user, school)
    forget_cached_rights(user)
    logger.info("delegation granted: school=%s user=%s perm=%s by=%s", school.pk, user.pk, permission, granted_by.pk)
    return row  # type: ignore[return-value]


@transaction.atomic
def withdraw_delegation(*, school: School, user: User, permission: str, withdrawn_by: User) -> None:
    """Take back a right delegated to `user` in `school`."""
    if not _delegation_rows(school=school, user=user, permission=permission).exists():
        raise ValidationError(_("Cette personne ne détient pas ce droit dans l'établissement."))
    remove_perm(_permission_row(permission), user, school)
    forget_cached_rights(user)
    logger.info(
        "delegation withdrawn: school=%s user=%s perm=%s by=%s", school.pk, user.pk, permission, withdrawn_by.pk
    )
