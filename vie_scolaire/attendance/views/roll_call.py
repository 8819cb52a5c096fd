"""The attendance module's entry (each profile lands on its own page) and the teacher's roll call of a lesson."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.selectors import own_student_id
from schools.forms.kit import posted_by_id
from schools.requests import school_with, signed_in
from vie_scolaire.attendance.selectors.office import attendance_settings
from vie_scolaire.attendance.selectors.roll_call import (
    access_lesson_for_roll_call,
    roll_call_not_open_message,
    roll_call_sheet,
    roll_calls_of_the_day,
)
from vie_scolaire.attendance.services.roll_call import take_roll_call
from vie_scolaire.permissions import MANAGE_ATTENDANCE, VIEW_ATTENDANCE, VIEW_TIMETABLE
from vie_scolaire.timetable import selectors
from vie_scolaire.timetable.selectors import teacher_audience


def home(request: HttpRequest, uai: str) -> HttpResponse:
    """The office's desk, a student's own absences, a parent's first child's, a teacher's roll calls of the day."""
    school = school_with(request, VIEW_ATTENDANCE)
    user = signed_in(request)
    if user.has_perm(MANAGE_ATTENDANCE, school):
        return redirect("attendance:desk", uai=school.uai)
    own = own_student_id(user, school)
    if own is not None:
        return redirect("attendance:student", uai=school.uai, student_id=own)
    today = timezone.localdate()
    rows = roll_calls_of_the_day(school, teacher_audience(school, user), today)
    return render(request, "vie_scolaire/attendance_home.html", {"school": school, "rows": rows, "today": today})


def roll_call(request: HttpRequest, uai: str, lesson_id: int) -> HttpResponse:
    """The teacher's roll call of one lesson: one tap per absent or late student, saved at once."""
    school = school_with(request, VIEW_TIMETABLE)
    lesson = access_lesson_for_roll_call(signed_in(request), school, lesson_id)
    if request.method == "POST":
        everyone = request.POST.get("action") == "all_present"
        try:
            take_roll_call(
                lesson=lesson,
                absent=set() if everyone else set(posted_by_id(request, "absent")),
                late={} if everyone else _posted_minutes(request),
                departures={} if everyone else _posted_departures(request),
                taken_by=signed_in(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'appel est enregistré."))
            return redirect(selectors.week_url(school, lesson.date))
    return render(
        request,
        "vie_scolaire/roll_call.html",
        {
            "school": school,
            "lesson": lesson,
            "rows": roll_call_sheet(lesson),
            "taken": hasattr(lesson, "roll_call"),
            "not_open": roll_call_not_open_message(lesson, attendance_settings(school)),
        },
    )


def _posted_departures(request: HttpRequest) -> dict[int, datetime.time]:
    left = {}
    for student_id, value in posted_by_id(request, "left").items():
        if not value:
            continue
        try:
            left[student_id] = datetime.time.fromisoformat(value[:8])
        except ValueError:
            raise ValidationError(_("Une heure de départ s'écrit comme 10:35.")) from None
    return left


def _posted_minutes(request: HttpRequest) -> dict[int, int]:
    late = {}
    for student_id, value in posted_by_id(request, "late").items():
        if not value:
            continue
        if not value.isdigit():
            raise ValidationError(_("Un retard se compte en minutes."))
        late[student_id] = int(value[:4])
    return late
