"""The role table (profile -> permission names) and object rules (relationships).

Apps declare their rights in their own `permissions.py`: one `grant_table()` (profile -> permission
names) and their `rule()`s;
`annuaire.backends.EntBackend` reads this table to answer `user.has_perm(perm, obj)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from annuaire.models import Profile

ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)
# The city profile is not a membership: what it holds is granted under this name, in every school.
CITY = "city"
# In a grant table: every profile of a school's memberships (not the city's).
EVERY_PROFILE = "*"

# perm -> (model class, predicate(user, obj, school_permissions) -> bool)
ObjectRule = Callable[[Any, Any, frozenset[str]], bool]
OBJECT_RULES: dict[tuple[str, type], ObjectRule] = {}


def grant(profile: Profile | str, *perms: str) -> None:
    ROLE_PERMISSIONS[str(profile)].update(perms)


def grant_table(table: Mapping[Profile | str, Iterable[str]]) -> None:
    """An app's role grants in one table: each profile (or `EVERY_PROFILE`, or `CITY`) -> the permission
    names it holds."""
    for profile, perms in table.items():
        for each in Profile if profile == EVERY_PROFILE else (profile,):
            grant(each, *perms)


def rule(perm: str, model: type) -> Callable[[ObjectRule], ObjectRule]:
    """Register the relationship check for `perm` on objects of `model`."""

    def decorator(func: ObjectRule) -> ObjectRule:
        OBJECT_RULES[(perm, model)] = func
        return func

    return decorator


def permissions_of_profiles(profiles: set[str]) -> set[str]:
    perms: set[str] = set()
    for profile in profiles:
        perms |= ROLE_PERMISSIONS.get(profile, set())
    return perms


def object_rule(perm: str, obj: Any) -> ObjectRule | None:
    for klass in type(obj).__mro__:
        found = OBJECT_RULES.get((perm, klass))
        if found is not None:
            return found
    return None
