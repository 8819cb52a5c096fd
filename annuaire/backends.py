"""One authentication backend answers every permission question.

`user.has_perm(perm, obj)` combines the role table (profile -> permissions), the rights a
head delegated (django-guardian object permissions on the School row), the city profile,
and, for objects that have one, the relationship rule registered in `annuaire.roles`.
Sign-in itself is django-allauth's backend; this one authenticates nobody.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.backends import ModelBackend

from annuaire import roles
from annuaire.selectors import memberships_by_school
from schools.models import School, SchoolUserObjectPermission
from schools.permissions import (
    ACCESS_SCHOOL,
    CITY_PERMISSIONS,
    MANAGE_ACCOUNTS,
    MANAGE_PERSONAL_DATA,
    delegated_name,
)


def _delegations(user: Any) -> dict[int, set[str]]:
    cached = getattr(user, "_ent_delegations", None)
    if cached is None:
        cached = defaultdict(set)
        rows = SchoolUserObjectPermission.objects.filter(user=user).values_list(
            "content_object_id", "permission__content_type__app_label", "permission__codename"
        )
        for school_id, app_label, codename in rows:
            cached[school_id].add(delegated_name(app_label, codename))
        user._ent_delegations = cached
    return cached


def school_permissions(user: Any, school_id: int) -> frozenset[str]:
    """Every permission the user holds in one school, before relationship rules."""
    profiles = memberships_by_school(user).get(school_id, set())
    perms: set[str] = set()
    if profiles:
        perms = roles.permissions_of_profiles(profiles) | {ACCESS_SCHOOL}
        # A delegation lasts only while the person is an active member of the school.
        perms |= _delegations(user).get(school_id, set())
        if MANAGE_ACCOUNTS in perms:
            perms.add(MANAGE_PERSONAL_DATA)
    if user.is_city_admin:
        perms |= city_permissions()
    return frozenset(perms)


def city_permissions() -> frozenset[str]:
    """The schools' city rights and those the apps grant to the city profile."""
    return CITY_PERMISSIONS | roles.permissions_of_profiles({roles.CITY})


class EntBackend(ModelBackend):
    """Loads the signed-in user (ModelBackend.get_user) and answers permissions."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if obj is None:
            # Without an object only city-wide rights make sense.
            return bool(user_obj.is_city_admin and perm in city_permissions())
        school_id = obj.pk if isinstance(obj, School) else getattr(obj, "school_id", None)
        held = school_permissions(user_obj, school_id) if school_id is not None else frozenset()
        rule = roles.object_rule(perm, obj)
        if rule is not None:
            return rule(user_obj, obj, held)
        return perm in held
