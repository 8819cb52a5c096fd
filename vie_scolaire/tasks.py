"""Celery tasks of vie scolaire: lessons, report cards, the families' notices of grades and absences."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from schools.models import School
from schools.tasks import task_options, tenant_task
from schools.tenancy import cross_school
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.attendance.selectors.roll_call import lessons_owing_notices
from vie_scolaire.attendance.services.roll_call import send_due_absence_notices
from vie_scolaire.grades.models import Assessment
from vie_scolaire.grades.services.grades import PUBLICATION_NEWS, tell_grade_change, tell_published_grades
from vie_scolaire.report_cards.models import ReportCardRun
from vie_scolaire.report_cards.services import write_report_cards
from vie_scolaire.timetable.models import Lesson
from vie_scolaire.timetable.services import refresh_lessons

# The sweep looks this far back for roll-call absences whose families were never told (a lost task);
# older ones are history, not news.
NOTICE_SWEEP_WINDOW = datetime.timedelta(hours=12)


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


@tenant_task()
def tell_school_published_grades(school: School) -> int:
    """Notify one school's students and parents of the grades published to them; a rerun tells nobody twice."""
    return tell_published_grades(school=school, today=timezone.localdate())


@tenant_task()
def tell_school_grade_change(school: School, grade_id: int) -> int:
    """Tell the family of one grade entered or changed after its publication; a rerun tells nobody twice."""
    return tell_grade_change(school=school, grade_id=grade_id, today=timezone.localdate())


@shared_task(name="vie_scolaire.tasks.tell_published_grades", **task_options())
def tell_published_grades_everywhere() -> int:
    """Beat, through the school day: one task per school with grades newly visible to students or parents."""
    today = timezone.localdate()
    news = (today - PUBLICATION_NEWS, today)
    with cross_school():
        school_ids = set(
            Assessment.unscoped.filter(
                Q(published_to_students_on__range=news, students_told_at__isnull=True)
                | Q(published_to_parents_on__range=news, parents_told_at__isnull=True)
            ).values_list("school_id", flat=True)
        )
    for school_id in sorted(school_ids):
        tell_school_published_grades.delay(school_id)
    return len(school_ids)


@tenant_task()
def send_absence_notices(school: School, lesson_id: int, *more_lesson_ids: int) -> int:
    """Tell the families of these lessons' roll-call absences whose notice is due; answers how many were told.

    Started for the moment the notice is due; run early or again, it tells nobody."""
    lessons = Lesson.objects.filter(school=school, pk__in=[lesson_id, *more_lesson_ids]).select_related(
        "school", "weekly_lesson__subject"
    )
    rules = attendance_settings(school)
    return sum(send_due_absence_notices(lesson=lesson, rules=rules) for lesson in lessons)


@shared_task(name="vie_scolaire.tasks.send_owed_absence_notices", **task_options())
def send_owed_absence_notices() -> int:
    """Beat, every few minutes: the notices a lost task left unsent, one task per school that owes some."""
    with cross_school():
        owed = lessons_owing_notices(since=timezone.now() - NOTICE_SWEEP_WINDOW)
    for school_id, lesson_ids in owed.items():
        send_absence_notices.delay(school_id, *lesson_ids)
    return len(owed)
