"""Celery tasks of the timetable."""

from __future__ import annotations

from schools.models import School
from schools.tasks import tenant_task
from vie_scolaire.models import ReportCardRun
from vie_scolaire.services import refresh_lessons
from vie_scolaire.services_report_cards import write_report_cards


@tenant_task()
def refresh_school_lessons(school: School, school_year: int) -> int:
    """Bring one school's lessons in line with its calendar (after the city changed the zone's holidays).

    Idempotent: a second run finds nothing to change. Returns how many lessons it wrote.
    """
    result = refresh_lessons(school=school, school_year=school_year)
    return result.created + result.updated + result.deleted


@tenant_task(soft_time_limit=600)
def generate_report_cards(school: School, run_id: int) -> int:
    """Write the PDFs of one run; answers how many were written. Running it again rewrites them."""
    run = ReportCardRun.objects.filter(school=school, pk=run_id).select_related("period", "division").first()
    if run is None:
        return 0
    return write_report_cards(run=run).done
