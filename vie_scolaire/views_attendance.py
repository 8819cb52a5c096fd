"""The attendance module's entry: each profile lands on its own page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vie_scolaire.attendance import roll_calls_of_the_day
from vie_scolaire.permissions import MANAGE_ATTENDANCE, VIEW_ATTENDANCE
from vie_scolaire.timetable.selectors import teacher_audience
from vie_scolaire.views_common import own_student_id, school_with, user_of


def home(request: HttpRequest, uai: str) -> HttpResponse:
    """The office's desk, a student's own absences, a parent's first child's, a teacher's roll calls of the day."""
    school = school_with(request, VIEW_ATTENDANCE)
    user = user_of(request)
    if user.has_perm(MANAGE_ATTENDANCE, school):
        return redirect("attendance:desk", uai=school.uai)
    own = own_student_id(user, school)
    if own is not None:
        return redirect("attendance:student", uai=school.uai, student_id=own)
    today = timezone.localdate()
    rows = roll_calls_of_the_day(school, teacher_audience(school, user), today)
    return render(request, "vie_scolaire/attendance_home.html", {"school": school, "rows": rows, "today": today})
