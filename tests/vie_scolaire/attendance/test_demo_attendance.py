"""The demo's attendance: roll calls of past lessons, and the demo family's three cases."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.models import Absence, Justification, Lesson, RollCall

pytestmark = pytest.mark.django_db


def test_the_demo_has_weeks_of_roll_calls_and_the_demo_familys_cases() -> None:
    call_command("seed_demo", stdout=StringIO())
    voltaire = School.objects.get(uai="0752536Z")
    with school_scope(voltaire):
        taken = RollCall.objects.filter(school=voltaire)
        assert taken.count() > 200
        # Only lessons that took place have a roll call.
        assert not Lesson.objects.filter(roll_call__in=taken, cancelled=True).exists()
        mine = Absence.objects.filter(student__username="eleve.demo").select_related("reason", "justification")
        states = {
            (a.justification.status if a.justification else None, bool(a.reason and a.reason.justifies)) for a in mine
        }
        assert (Justification.Status.ACCEPTED, True) in states
        assert (Justification.Status.PENDING, False) in states
        assert (None, False) in states  # one absence still to justify


def test_the_demo_has_students_past_both_legal_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    from django.utils import timezone

    from vie_scolaire.attendance.selectors.office import month_thresholds

    # The demo seeds the previous month and this one so far: on 20 November, October and November.
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 20))
    call_command("seed_demo", stdout=StringIO())
    voltaire = School.objects.get(uai="0752536Z")
    with school_scope(voltaire):
        months = [month_thresholds(school=voltaire, month=datetime.date(2026, month, 1)) for month in (10, 11)]
    assert any(count.serious for count in months), "nobody at 10 unjustified half-days"
    assert any(count.referral for count in months), "nobody between 4 and 9 unjustified half-days"
