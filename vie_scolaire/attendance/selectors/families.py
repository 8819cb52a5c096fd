"""Who follows a student's attendance: adult students, their choice to keep it from their parents
(withholding), and the followers every notice and page goes to (parents unless withheld, the adult student)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from annuaire.models import Guardianship, Profile, User
from annuaire.selectors import profiles_in
from schools.models import School
from vie_scolaire.attendance.models import (
    AttendanceWithholding,
)
from vie_scolaire.attendance.selectors.office import attendance_settings

ABSENCE, LATENESS, DEPARTURE = "absence", "lateness", "departure"


# --- Adult students and their family ---------------------------------------------------------

ADULT_AGE = 18
# Said to a minor who tries to justify their own absences, and to a student offered no choice for their family.
MINOR_JUSTIFIES_NOT = gettext_lazy(
    "Vos responsables légaux justifient vos absences : vous le ferez vous-même à partir de 18 ans."
)
WITHHOLD_NOT_OFFERED = gettext_lazy(
    "Ce choix est réservé aux élèves majeurs, quand le règlement de l'établissement le permet."
)

# They read a student's attendance as part of their work, whatever the student chose for their family.
PROFESSIONALS = frozenset({Profile.TEACHER, Profile.STAFF, Profile.DIRECTION})


def adult_cutoff(day: datetime.date) -> datetime.date:
    """The latest birth date of someone who is 18 on `day`: the 18th birthday itself counts.

    Someone born on 29 February comes of age on 1 March of a year without one.
    """
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:  # `day` is 29 February and the year of the cutoff has none
        return day.replace(year=day.year - ADULT_AGE, day=28)


def is_adult(user: Any) -> bool:
    """18 or over today; without a known birth date, not adult (the directory is corrected, not the rule)."""
    return user.birth_date is not None and user.birth_date <= adult_cutoff(timezone.localdate())


def _adult_students(school: School | int, student_ids: Collection[int]) -> list[User]:
    """The adult students among these, each with `withholds`: whether they chose to keep their attendance
    from their parents (the school's rules not yet applied)."""
    chosen = AttendanceWithholding.objects.filter(school=school, student=OuterRef("pk"))
    adults = User.objects.filter(pk__in=student_ids, birth_date__lte=adult_cutoff(timezone.localdate()))
    return list(adults.annotate(withholds=Exists(chosen)))


def _withholding(school: School | int, adults: list[User]) -> set[int]:
    """Those whose choice counts: only while the school's rules let adult students choose so."""
    chosen = {adult.pk for adult in adults if getattr(adult, "withholds", False)}  # annotated above
    if chosen and attendance_settings(school).adult_students_may_withhold:
        return chosen
    return set()


def attendance_withheld(school: School | int, student_ids: Collection[int]) -> set[int]:
    """The students among these whose parents no longer follow their attendance: adult today, their
    choice stored, and the school's rules letting adult students choose so (else the choice is ignored).

    One query, two when one of them chose so.
    """
    return _withholding(school, _adult_students(school, student_ids))


def attendance_followers(school: School | int, student_ids: Collection[int]) -> dict[int, list[User]]:
    """Who, besides the school's staff, is told of and may read each student's attendance: the legal
    representatives, unless the adult student withheld it from them, and the adult student themself.

    The one answer for the pages, the documents and every notice; three queries at most, whatever the
    number of students.
    """
    ids = set(student_ids)
    adults = _adult_students(school, ids)
    return _followers(school, ids, adults, _withholding(school, adults))


def _followers(school: School | int, ids: set[int], adults: list[User], withheld: set[int]) -> dict[int, list[User]]:
    told = ids - withheld
    followers: dict[int, list[User]] = {student_id: [] for student_id in ids}
    if told:
        links = Guardianship.objects.filter(school=school, student__in=told, legal_representative=True)
        for link in links.select_related("guardian").order_by("pk"):
            followers[link.student_id].append(link.guardian)
    for adult in adults:
        followers[adult.pk].append(adult)
    return followers


@dataclass(frozen=True)
class StudentFamily:
    """One student's followers, and whether the adult student keeps their attendance from their parents."""

    followers: tuple[int, ...]
    withheld: bool


def student_family(user: Any, school: School | int, student_id: int) -> StudentFamily:
    """`attendance_followers` of one student as `user` asks about them, kept on the user object like its
    rights (a parent's page of absences asks three times: what it shows, who justifies, who opens the
    documents); three queries the first time."""
    key = (school if isinstance(school, int) else school.pk, student_id)
    # getattr and setattr, which a request's lazy user passes on to the user itself (its __dict__ is its own).
    known: dict[tuple[int, int], StudentFamily] | None = getattr(user, "_ent_student_families", None)
    if known is None:
        known = {}
        user._ent_student_families = known
    if key not in known:
        adults = _adult_students(school, [student_id])
        withheld = _withholding(school, adults)
        followers = _followers(school, {student_id}, adults, withheld)[student_id]
        known[key] = StudentFamily(tuple(follower.pk for follower in followers), student_id in withheld)
    return known[key]


def follows_attendance(user: Any, school: School | int, student_id: int) -> bool:
    return user.pk in student_family(user, school, student_id).followers


def withheld_from(user: Any, school: School, student_id: int) -> bool:
    """Whether this user reads the student as their family (a parent, neither the office nor a teacher)
    while the adult student keeps their attendance from them."""
    profiles = profiles_in(user, school)
    if user.pk == student_id or Profile.PARENT not in profiles or profiles & PROFESSIONALS:
        return False
    return student_family(user, school, student_id).withheld
