"""Reads of the school administration: the heads' accounts and delegations pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annuaire.models import Division, Membership, Profile, User
from schools import permissions as school_perms
from schools.access import not_found
from schools.models import School, SchoolUserObjectPermission

ACCOUNTS_PER_PAGE = 50
_MAX_SEARCH_TERMS = 5
_MAX_ID = 2**63 - 1  # larger ids are forged: answer 404 rather than overflow the database


class AccountState(TextChoices):
    ACTIVE = "active", gettext_lazy("Actif")
    PENDING = "pending", gettext_lazy("Pas encore activé")
    DEACTIVATED = "deactivated", gettext_lazy("Désactivé")


@dataclass
class AccountRow:
    """One person on the accounts page, with their memberships in the school."""

    user: User
    memberships: list[Membership]

    @property
    def membership(self) -> Membership:
        """The membership the row's actions name (an active one when there is one)."""
        return next((m for m in self.memberships if m.active), self.memberships[0])

    @property
    def profiles(self) -> list[str]:
        return [str(m.get_profile_display()) for m in self.memberships]

    @property
    def division(self) -> Division | None:
        return next((m.division for m in self.memberships if m.division is not None), None)

    @property
    def state(self) -> str:
        if not self.user.is_active or not any(m.active for m in self.memberships):
            return AccountState.DEACTIVATED
        if self.user.activated_at is None:
            return AccountState.PENDING
        return AccountState.ACTIVE

    @property
    def state_label(self) -> str:
        return str(AccountState(self.state).label)


def school_accounts(
    school: School,
    *,
    search: str = "",
    profile: str = "",
    division: Division | None = None,
    state: str = "",
) -> QuerySet[User]:
    """The people with a membership in `school`, filtered, by name; their memberships here prefetched.

    Two queries per page whatever the number of people: the page of users, then their
    memberships in this school with the division (`user.school_memberships`).
    """
    here = Membership.objects.filter(school=school)
    users = User.objects.filter(pk__in=here.values("user"))
    for term in search.split()[:_MAX_SEARCH_TERMS]:
        users = users.filter(
            Q(last_name__icontains=term)
            | Q(first_name__icontains=term)
            | Q(username__icontains=term)
            | Q(email__icontains=term)
        )
    if profile:
        users = users.filter(pk__in=here.filter(profile=profile).values("user"))
    if division is not None:
        users = users.filter(pk__in=here.filter(division=division).values("user"))
    if state:
        users = users.alias(active_here=Exists(here.filter(user=OuterRef("pk"), active=True)))
        if state == AccountState.DEACTIVATED:
            users = users.filter(Q(active_here=False) | Q(is_active=False))
        else:
            users = users.filter(active_here=True, is_active=True, activated_at__isnull=state == AccountState.PENDING)
    return users.order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch(
            "memberships",
            queryset=here.select_related("division").order_by("profile"),
            to_attr="school_memberships",
        )
    )


def account_rows(users: Iterable[User]) -> list[AccountRow]:
    """Rows for users coming from `school_accounts` (their memberships already prefetched)."""
    return [AccountRow(user=user, memberships=user.school_memberships) for user in users]  # type: ignore[attr-defined]


def access_account(user: Any, school: School, membership_id: int) -> Membership:
    """One membership of `school` an account manager may act on, or 404 (absent, foreign, forged or forbidden)."""
    if 0 < membership_id <= _MAX_ID and user.has_perm(school_perms.MANAGE_ACCOUNTS, school):
        membership = Membership.objects.filter(school=school, pk=membership_id).select_related("user", "school").first()
        if membership is not None:
            return membership
    not_found(_("Ce compte n'existe pas dans cet établissement."))


def permission_label(perm: str) -> str:
    """The French label of a delegable permission (`schools.manage_accounts` -> its Meta label)."""
    if perm in school_perms.DELEGABLE_LABELS:
        return str(school_perms.DELEGABLE_LABELS[perm])
    app_label, _dot, codename = perm.partition(".")
    if app_label == School._meta.app_label:
        for name, label in School._meta.permissions:
            if name == codename:
                return str(label)
    return perm


@dataclass
class DelegationRow:
    pk: int
    user: User
    perm: str
    effective: bool  # False while the delegate has no active membership (the backend ignores it)

    @property
    def label(self) -> str:
        return permission_label(self.perm)


def school_delegations(school: School) -> list[DelegationRow]:
    """The rights delegated in `school` (guardian rows on the School), by person; two queries."""
    rows = (
        SchoolUserObjectPermission.objects.filter(content_object=school)
        .select_related("user", "permission__content_type")
        .order_by("user__last_name", "user__first_name", "user_id", "permission__codename")
    )
    delegations = [
        DelegationRow(
            pk=row.pk,
            user=row.user,
            perm=school_perms.delegated_name(row.permission.content_type.app_label, row.permission.codename),
            effective=True,
        )
        for row in rows
    ]
    if delegations:
        active = set(
            Membership.objects.filter(
                school=school, active=True, user__in={row.user.pk for row in delegations}
            ).values_list("user", flat=True)
        )
        for row in delegations:
            row.effective = row.user.is_active and row.user.pk in active
    return delegations


def delegation_candidates(school: School) -> QuerySet[User]:
    """Who may receive a delegated right: active staff and teachers of `school`."""
    members = Membership.objects.filter(school=school, active=True, profile__in=[Profile.STAFF, Profile.TEACHER])
    return User.objects.filter(pk__in=members.values("user"), is_active=True).order_by("last_name", "first_name", "pk")


def access_delegation(user: Any, school: School, delegation_id: int) -> SchoolUserObjectPermission:
    """One delegation of `school` a head may withdraw, or 404 (absent, foreign, forged or forbidden)."""
    if 0 < delegation_id <= _MAX_ID and user.has_perm(school_perms.MANAGE_DELEGATIONS, school):
        row = (
            SchoolUserObjectPermission.objects.filter(content_object=school, pk=delegation_id)
            .select_related("user", "permission__content_type")
            .first()
        )
        if row is not None:
            return row
    not_found(_("Cette délégation n'existe pas dans cet établissement."))
