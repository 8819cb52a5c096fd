"""Timetable pages: one week (or day) of a student, a division, a teacher or a room; changes; feeds."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annuaire.models import Profile
from annuaire.selectors import access_division, children_in_school, profiles_in, visible_divisions
from schools.access import not_found
from schools.forms.kit import requested_date
from schools.models import School
from schools.requests import school_with, signed_in
from schools.tenancy import school_scope
from vie_scolaire.calendar.weeks import ONE_DAY, shown_day
from vie_scolaire.permissions import CHANGE_LESSONS, VIEW_TIMETABLE
from vie_scolaire.timetable import selectors
from vie_scolaire.timetable.forms import LessonChangeForm
from vie_scolaire.timetable.ical import timetable_calendar
from vie_scolaire.timetable.selectors import Audience
from vie_scolaire.timetable.services import change_lesson, create_calendar_feed, restore_lesson, revoke_calendar_feed


def _requested_day(request: HttpRequest) -> datetime.date:
    """The day asked for (`?date=`), else today; on a weekend, the coming week."""
    return requested_date(request, shown_day(timezone.localdate()))


def _render_week(request: HttpRequest, school: School, audience: Audience, **context: Any) -> HttpResponse:
    day = _requested_day(request)
    week = selectors.timetable_week(school, audience, day)
    selectors.week_shown.send(sender=selectors.Week, week=week, user=request.user, school=school)
    day_view = request.GET.get("vue") == "jour"
    days = [d for d in week.days if d.date == day] if day_view else week.days
    return render(
        request,
        "vie_scolaire/timetable.html",
        {
            "school": school,
            "audience": audience,
            "week": week,
            "days": days or week.days[:1],
            "day_view": day_view,
            "day": day,
            "previous_day": day - ONE_DAY,
            "next_day": day + ONE_DAY,
            "can_change": request.user.has_perm(CHANGE_LESSONS, school),
            **context,
        },
    )


def mine(request: HttpRequest, uai: str) -> HttpResponse:
    """The person's own timetable: a student's, a teacher's, a parent's first child's; else the index."""
    school = school_with(request, VIEW_TIMETABLE)
    user = signed_in(request)
    own = selectors.own_audience(user, school)
    if own is not None:
        extra = _picker(user, school) if own.kind == "teacher" else {}
        return _render_week(request, school, own, **extra)
    children = children_in_school(user, school)
    if children:
        return student(request, uai, children[0].pk)
    return render(request, "vie_scolaire/timetable_index.html", {"school": school, **_picker(user, school)})


def _picker(user: Any, school: School) -> dict[str, Any]:
    """The other timetables this person may open, for the page's links: `picker` holds a (title, links)
    group for each kind the person may open some of (classes, teachers, rooms), a link being (address, name)."""

    def links(route: str, targets: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
        return [(reverse(route, args=[school.uai, pk]), name) for pk, name in targets]

    groups = [
        (_("Classes"), links("timetable:division", ((d.pk, d.name) for d in visible_divisions(user, school)))),
        (
            _("Enseignants"),
            links("timetable:teacher", ((t.pk, t.get_full_name()) for t in selectors.visible_teachers(user, school))),
        ),
        (_("Salles"), links("timetable:room", ((r.pk, str(r)) for r in selectors.visible_rooms(user, school)))),
    ]
    return {"children": children_in_school(user, school), "picker": [group for group in groups if group[1]]}


def student(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    membership = selectors.access_student(request.user, school, student_id)
    return _render_week(
        request,
        school,
        selectors.student_audience(membership),
        children=children_in_school(request.user, school),
        current_child=membership.user_id,
    )


def division(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    found = access_division(request.user, school, division_id)
    return _render_week(request, school, selectors.division_audience(found))


def teacher(request: HttpRequest, uai: str, teacher_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    found = selectors.access_teacher(request.user, school, teacher_id)
    return _render_week(request, school, selectors.teacher_audience(school, found))


def room(request: HttpRequest, uai: str, room_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    found = selectors.access_room(request.user, school, room_id)
    return _render_week(request, school, selectors.room_audience(found))


def lesson_change(request: HttpRequest, uai: str, lesson_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    lesson = selectors.access_lesson_to_change(request.user, school, lesson_id)
    form = LessonChangeForm(request.POST or None, school=school, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            change_lesson(lesson=lesson, change=form.change(), changed_by=signed_in(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La séance est modifiée ; les personnes concernées sont prévenues."))
            return redirect(_back_to_week(request, school, lesson.date))
    return render(
        request,
        "vie_scolaire/lesson_change.html",
        {"school": school, "lesson": lesson, "form": form, "back": _back_to_week(request, school, lesson.date)},
    )


@require_POST
def lesson_restore(request: HttpRequest, uai: str, lesson_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    lesson = selectors.access_lesson_to_change(request.user, school, lesson_id)
    restore_lesson(lesson=lesson, restored_by=signed_in(request))
    messages.success(request, _("La séance a de nouveau lieu comme prévu ; les personnes concernées sont prévenues."))
    return redirect(_back_to_week(request, school, lesson.date))


def _back_to_week(request: HttpRequest, school: School, day: datetime.date) -> str:
    """Where to return after a change: the page it came from (same site only), else the week."""
    back = request.POST.get("next") or request.GET.get("next", "")
    if back.startswith(f"/{school.uai}/emploi-du-temps/") and "//" not in back:
        return back
    return selectors.week_url(school, day)


def feeds(request: HttpRequest, uai: str) -> HttpResponse:
    """The person's calendar addresses: create (for oneself or a child), copy once, revoke."""
    school = school_with(request, VIEW_TIMETABLE)
    user = signed_in(request)
    children = children_in_school(user, school)
    created_key = ""
    if request.method == "POST":
        child = None
        if request.POST.get("student"):
            child = next((c for c in children if str(c.pk) == request.POST["student"]), None)
            if child is None:
                not_found(_("Cet élève n'existe pas ou vous n'avez pas accès à son emploi du temps."))
        try:
            _feed, created_key = create_calendar_feed(school=school, owner=user, student=child)
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(
        request,
        "vie_scolaire/feeds.html",
        {
            "school": school,
            "feeds": selectors.user_calendar_feeds(school, user),
            "children": children,
            "own_timetable": bool(profiles_in(user, school) & {Profile.STUDENT, Profile.TEACHER}),
            "created_url": request.build_absolute_uri(selectors.feed_url(created_key)) if created_key else "",
        },
    )


@require_POST
def feed_revoke(request: HttpRequest, uai: str, feed_id: int) -> HttpResponse:
    school = school_with(request, VIEW_TIMETABLE)
    revoke_calendar_feed(school=school, owner=signed_in(request), feed_id=feed_id)
    messages.success(request, _("L'adresse est révoquée : les agendas abonnés ne la liront plus."))
    return redirect("timetable:feeds", uai=school.uai)


@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """A calendar app reads a secret address: no session, the key is the credential."""
    found = selectors.find_calendar_feed(key)
    if found is None:
        not_found(_("Cette adresse d'agenda n'existe pas ou a été révoquée."))
    with school_scope(found.school):
        audience = selectors.feed_audience(found)
        if audience is None:
            not_found(_("Cette adresse d'agenda n'est plus valable."))
        first, last = selectors.feed_range(found.school, timezone.localdate())
        lessons = selectors.audience_lessons(found.school, audience, first, last)
        body = timetable_calendar(
            name=_("Emploi du temps — %(name)s") % {"name": audience.title}, lessons=lessons, host=request.get_host()
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
