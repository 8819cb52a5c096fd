"""Celery tasks of the timetable."""

from __future__ import annotations

from schools.models import School
from schools.tasks import tenant_task
from vie_scolaire.services import refresh_lessons


@tenant_task()
def refresh_school_lessons(school: School, school_year: int) -> int:
    """Bring one school's lessons in line with its calendar (after the city changed the zone's holidays).

    Idempotent: a second run finds nothing to change. Returns how many lessons it wrote.
    """
    result = refresh_lessons(school=school, school_year=school_year)
    return result.created + result.updated + result.deleted
