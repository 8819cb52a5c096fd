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
