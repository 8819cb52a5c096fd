"""Relationship rules of the homework book: who writes in a lesson's entry and homework."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from annuaire import roles
from cahier_textes.permissions import WRITE_BOOK
from schools.years import school_year_of
from vie_scolaire.models import Lesson


@roles.rule(WRITE_BOOK, Lesson)
def can_write_lesson(user: Any, lesson: Lesson, held: frozenset[str]) -> bool:
    """The lesson's teachers and its replacement, for the current school year (earlier books are read-only)."""
    if WRITE_BOOK not in held or lesson.weekly_lesson.school_year < school_year_of(timezone.localdate()):
        return False
    if lesson.replacement_teacher_id == user.pk:
        return True
    # Iterating reads teachers a page already prefetched: no query per lesson.
    return any(teacher.pk == user.pk for teacher in lesson.weekly_lesson.teachers.all())
