"""Writes of the office outside the roll call and the justifications: the school's reasons and attendance rules."""

from __future__ import annotations

from django.db import transaction

from schools.models import School
from vie_scolaire.attendance.models import AbsenceReason, AttendanceSettings

# Every school starts with the reasons of article L131-8 of the Code de l'éducation, which parents
# may give, and two the office uses; each school then edits them (data, not code).
# (code, label, justifies, counts on the report card, visible to parents, parents may choose it)
DEFAULT_REASONS = (
    ("MALADIE", "Maladie de l'enfant", True, True, True, True),
    ("CONTAGION", "Maladie transmissible ou contagieuse d'un membre de la famille", True, True, True, True),
    ("FAMILLE", "Réunion solennelle de famille", True, True, True, True),
    ("TRANSPORT", "Difficulté accidentelle des transports", True, True, True, True),
    ("VOYAGE", "Absence temporaire de la famille, que l'enfant accompagne", True, True, True, True),
    ("AUTRE", "Autre motif, à préciser en commentaire", True, True, True, True),
    ("SCOLAIRE", "Activité organisée par l'établissement", True, False, True, False),
    ("NON_RECEVABLE", "Motif non recevable", False, True, True, False),
)


def ensure_absence_reasons(*, school: School) -> None:
    """Give a school the default reasons it does not have yet (by code); its own edits stay."""
    present = set(AbsenceReason.objects.filter(school=school).values_list("code", flat=True))
    AbsenceReason.objects.bulk_create(
        AbsenceReason(
            school=school,
            code=code,
            label=label,
            justifies=justifies,
            counts_on_report=counts,
            visible_to_parents=visible,
            parents_may_choose=choose,
        )
        for code, label, justifies, counts, visible, choose in DEFAULT_REASONS
        if code not in present
    )


@transaction.atomic
def set_attendance_settings(
    *, school: School, roll_call_opens_before: int, absence_notice_delay: int, adult_students_may_withhold: bool
) -> AttendanceSettings:
    """The school's attendance rules, checked against the model's bounds (a French message for each)."""
    rules = AttendanceSettings.objects.filter(school=school).first() or AttendanceSettings(school=school)
    rules.roll_call_opens_before = roll_call_opens_before
    rules.absence_notice_delay = absence_notice_delay
    rules.adult_students_may_withhold = adult_students_may_withhold
    rules.full_clean(exclude=["school"])
    rules.save()
    return rules
