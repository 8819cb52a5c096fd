"""Matching the files to the school: each lesson's source key, each teacher to a member of the school."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from annuaire.models import Membership, Profile
from schools.models import School
from vie_scolaire.timetable.imports.model import ParsedLesson, Person, RowError, Timetable
from vie_scolaire.timetable.imports.reading import fold

SOURCE_KEY_LENGTH = 255


# --- Keys ----------------------------------------------------------------------------------------


def keyed_lessons(lessons: Iterable[ParsedLesson]) -> dict[str, ParsedLesson]:
    """Each lesson under its source key: audience, subject, day and start, which a new export keeps.

    Teachers, room, end and weeks are what a re-import may update in place, so that the dated
    lessons (and what the homework book hangs on them) survive a room change. Lessons that share
    that identity (week A and week B of the same class) are told apart by their weeks.
    """
    by_identity: dict[str, list[ParsedLesson]] = defaultdict(list)
    for lesson in lessons:
        identity = "|".join(
            (
                str(lesson.weekday),
                f"{lesson.start:%H:%M}",
                lesson.subject,
                ",".join(sorted(lesson.divisions)),
                ",".join(sorted(lesson.groups)),
            )
        )
        by_identity[identity].append(lesson)
    keyed: dict[str, ParsedLesson] = {}
    for identity, namesakes in by_identity.items():
        namesakes.sort(key=lambda lesson: (lesson.week_pattern, lesson.weeks, sorted(lesson.teachers), lesson.room))
        for rank, lesson in enumerate(namesakes, start=1):
            key = identity if rank == 1 else f"{identity}#{rank}"
            if len(key) > SOURCE_KEY_LENGTH:
                key = hashlib.sha256(key.encode()).hexdigest()
            keyed[key] = lesson
    return keyed


# --- Teachers ------------------------------------------------------------------------------------


def match_teachers(
    school: School, timetable: Timetable, lessons: list[ParsedLesson]
) -> tuple[dict[str, int], list[RowError]]:
    """The user id of each person the lessons name, among the school's active teachers.

    Names are compared without accents, case or hyphens, last name then first name; a birth date
    (STS-Web gives one) separates namesakes. A person not found, or found more than once, is a
    rejected row naming them.
    """
    lessons_of: dict[str, int] = defaultdict(int)
    for lesson in lessons:
        for key in lesson.teachers:
            lessons_of[key] += 1
    by_name: dict[str, list[Any]] = defaultdict(list)
    memberships = Membership.objects.filter(school=school, profile=Profile.TEACHER, active=True).select_related("user")
    for membership in memberships:
        user = membership.user
        by_name[fold(f"{user.last_name} {user.first_name}")].append(user)
    matched: dict[str, int] = {}
    errors: list[RowError] = []
    for key in sorted(lessons_of, key=lambda key: str(timetable.people[key].origin)):
        person = timetable.people[key]
        users = _candidates(person, by_name)
        if len(users) == 1:
            matched[key] = users[0].pk
        else:
            errors.append(RowError(person.origin, _teacher_reason(person, len(users), lessons_of[key])))
    return matched, errors


def _candidates(person: Person, by_name: dict[str, list[Any]]) -> list[Any]:
    users = by_name.get(fold(f"{person.last_name} {person.first_name}"), [])
    if len(users) > 1 and person.birth_date is not None:
        # Namesakes none of whom has this birth date stay ambiguous, not unknown.
        return [user for user in users if user.birth_date == person.birth_date] or users
    return users


def _teacher_reason(person: Person, found: int, lessons: int) -> str:
    values = {"person": person, "count": lessons}
    if found == 0:
        return _("enseignant inconnu dans l'établissement : %(person)s (%(count)s cours).") % values
    return (
        _("plusieurs enseignants de l'établissement répondent au nom de %(person)s : impossible de choisir.") % values
    )
