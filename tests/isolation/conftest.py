"""Fixtures of the isolation tests: school A's people against school B's marked objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.isolation.targets import Targets, build_targets, mark_secret
from tests.world import World


@dataclass
class Sides:
    a: Targets
    b: Targets


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The world's fifteen users each get a password: a slow hasher would dominate these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sides(world: World) -> Sides:
    a = build_targets(world.a, "a")
    b = build_targets(world.b, "b")
    mark_secret(b)
    return Sides(a=a, b=b)
