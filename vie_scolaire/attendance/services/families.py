"""Writes of the family's following: an adult student's choice that their parents follow their attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from annuaire.models import Membership, Profile, User
from schools.models import School
from vie_scolaire.attendance.models import AttendanceWithholding
from vie_scolaire.attendance.selectors.families import WITHHOLD_NOT_OFFERED
from vie_scolaire.permissions import WITHHOLD_ATTENDANCE


@transaction.atomic
def choose_family_follow(*, school: School, student: User, withheld: bool) -> None:
    """An adult student chooses whether their parents follow their attendance (and may change their mind).

    Refused to a minor, and when the school's rules keep adult students from choosing so.
    """
    membership = Membership.objects.filter(school=school, user=student, profile=Profile.STUDENT).first()
    if membership is None or not student.has_perm(WITHHOLD_ATTENDANCE, membership):
        raise ValidationError(str(WITHHOLD_NOT_OFFERED))
    if withheld:
        AttendanceWithholding.objects.get_or_create(school=school, student=student)
    else:
        AttendanceWithholding.objects.filter(school=school, student=student).delete()
    # The student's own object no longer holds the family it read before the choice.
    if hasattr(student, "_ent_student_families"):
        del student._ent_student_families
