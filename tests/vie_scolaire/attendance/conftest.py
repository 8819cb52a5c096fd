"""What the attendance tests share: the families' Friday evening (the clock and a throwaway media folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from tests.vie_scolaire.attendance.attendance_support import NOW


@pytest.fixture
def friday_evening(monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Friday evening (`NOW`) for the clock, uploads kept in the test's own folder."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    monkeypatch.setattr(timezone, "localdate", lambda *args: NOW.date())
    settings.MEDIA_ROOT = tmp_path
