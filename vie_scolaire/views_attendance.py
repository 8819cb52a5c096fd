"""The attendance module's entry: each profile lands on its own page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vie_scolaire.permissions import VIEW_ATTENDANCE
from vie_scolaire.selectors import audience_lessons, teacher_audience
from vie_scolaire.views_common import school_with, user_of


def home(request: HttpRequest, uai: str) -> HttpResponse:
    """A teacher's roll calls of the day; the other profiles' pages come with their parts."""
    school = school_with(request, VIEW_ATTENDANCE)
    user = user_of(request)
    today = timezone.localdate()
    lessons = audience_lessons(school, teacher_audience(school, user), today, today).select_related("roll_call")
    return render(request, "vie_scolaire/attendance_home.html", {"school": school, "lessons": lessons, "today": today})
