"""The homework book's tests use the timetable tests' week (school A, Monday 30 November 2026, week B)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.vie_scolaire.conftest import MONDAY, Timetable, build_timetable
from tests.world import World


@pytest.fixture
def timetable(world: World, monkeypatch: pytest.MonkeyPatch) -> Timetable:
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)
    return build_timetable(world.a)
