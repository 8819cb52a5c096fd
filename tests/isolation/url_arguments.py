"""How URL arguments map onto one school's objects, and the forged bodies of writes: the isolation
tests ask every route with school B's ids in school A's URLs, and the other way round."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from django.db import models

from annuaire.models import (
    Division,
    Guardianship,
    Membership,
    PersonalToken,
    Subject,
    TeachingAssignment,
    TeachingGroup,
    User,
)
from cahier_textes.models import Attachment, Homework
from communication.models import Announcement, Conversation, Draft, Message, MessageAttachment, Notification
from schools.models import School, SchoolUserObjectPermission
from tests.isolation.targets import Targets
from tests.isolation.urlwalk import Route
from vie_scolaire.models import Absence, Assessment, CalendarFeed, Justification, Lateness, Lesson, ReportCard, Room

# --- URL arguments -------------------------------------------------------------------------

# The object an id of each model points at, in one school.
MODEL_TARGETS: dict[type[models.Model], Callable[[Targets], object]] = {
    School: lambda t: t.school.pk,
    Division: lambda t: t.cast.division.pk,
    Membership: lambda t: t.cast.student_membership.pk,
    User: lambda t: t.cast.student.pk,
    Subject: lambda t: t.cast.subject.pk,
    TeachingAssignment: lambda t: t.cast.assignment.pk,
    TeachingGroup: lambda t: t.group.pk,
    Guardianship: lambda t: t.guardianship.pk,
    PersonalToken: lambda t: t.token.pk,
    SchoolUserObjectPermission: lambda t: t.delegation.pk,
    Room: lambda t: t.room.pk,
    Lesson: lambda t: t.lesson.pk,
    CalendarFeed: lambda t: t.feed.pk,
    Assessment: lambda t: t.assessment.pk,
    ReportCard: lambda t: t.report_card.pk,
    Homework: lambda t: t.homework.pk,
    Attachment: lambda t: t.attachment.pk,
    Justification: lambda t: t.justification.pk,
    Absence: lambda t: t.absence.pk,
    Lateness: lambda t: t.lateness.pk,
    Conversation: lambda t: t.conversation.pk,
    Message: lambda t: t.message.pk,
    Draft: lambda t: t.draft.pk,
    MessageAttachment: lambda t: t.message_file.pk,
    Announcement: lambda t: t.announcement.pk,
    Notification: lambda t: t.notification.pk,
}


def _ids_for_pk(route: Route, targets: Targets) -> list[object]:
    model = route.view_model
    if model is None:
        # A function view taking a bare `pk`: try an object of every kind.
        return sorted({getter(targets) for getter in MODEL_TARGETS.values()}, key=str)
    if model not in MODEL_TARGETS:
        raise AssertionError(
            f"{route.display} serves {model.__name__} objects by id: add {model.__name__} to "
            "MODEL_TARGETS in tests/isolation/url_arguments.py (and create one row of it per school there)."
        )
    return [MODEL_TARGETS[model](targets)]


# URL argument name -> the values to try in one school. A new URL pattern whose argument is
# not listed here fails test_every_url_argument_is_mapped: add its name here.
ARGUMENTS: dict[str, Callable[[Route, Targets], list[object]]] = {
    "uai": lambda route, t: [t.school.uai],
    "school_id": lambda route, t: [t.school.pk],
    "division_id": lambda route, t: [t.cast.division.pk],
    "membership_id": lambda route, t: [t.cast.student_membership.pk],
    "user_id": lambda route, t: [t.cast.student.pk],
    "student_id": lambda route, t: [t.cast.student.pk, t.cast.student_membership.pk],
    "subject_id": lambda route, t: [t.cast.subject.pk],
    "assignment_id": lambda route, t: [t.cast.assignment.pk],
    "group_id": lambda route, t: [t.group.pk],
    "guardianship_id": lambda route, t: [t.guardianship.pk],
    "token_id": lambda route, t: [t.token.pk],
    "delegation_id": lambda route, t: [t.delegation.pk],
    "teacher_id": lambda route, t: [t.cast.teacher.pk],
    "room_id": lambda route, t: [t.room.pk],
    "lesson_id": lambda route, t: [t.lesson.pk],
    "feed_id": lambda route, t: [t.feed.pk],
    "assessment_id": lambda route, t: [t.assessment.pk],
    "card_id": lambda route, t: [t.report_card.pk],
    "homework_id": lambda route, t: [t.homework.pk],
    "attachment_id": lambda route, t: [t.attachment.pk],
    "justification_id": lambda route, t: [t.justification.pk],
    "conversation_id": lambda route, t: [t.conversation.pk],
    "message_id": lambda route, t: [t.message.pk],
    "draft_id": lambda route, t: [t.draft.pk],
    "file_id": lambda route, t: [t.message_file.pk],
    "announcement_id": lambda route, t: [t.announcement.pk],
    "notification_id": lambda route, t: [t.notification.pk],
    # A calendar address's key is its credential: what another school's user can try is a guess.
    "key": lambda route, t: [str(t.feed.pk), t.feed.prefix],
    "pk": _ids_for_pk,
    "id": _ids_for_pk,
    "format": lambda route, t: ["json"],
}


def unmapped_arguments(route: Route) -> list[str]:
    return [name for name in route.args if name not in ARGUMENTS]


def route_urls(route: Route, *, uai_from: Targets, ids_from: Targets) -> list[str]:
    """Every URL of `route` with the UAI of one school and the other arguments from another."""
    missing = unmapped_arguments(route)
    if missing:
        raise AssertionError(
            f"URL pattern {route.display} ({route.name}) takes {missing}, unknown to the isolation tests: add these "
            "argument names to ARGUMENTS in tests/isolation/url_arguments.py, mapped to an object of the school."
        )
    choices = [ARGUMENTS[name](route, uai_from if name == "uai" else ids_from) for name in route.args]
    return [route.url(dict(zip(route.args, values, strict=True))) for values in itertools.product(*choices)]


def forged_body(targets: Targets) -> dict[str, Any]:
    """A form body naming the school's objects under the usual field names (ids forged in POST data)."""
    cast = targets.cast
    return {
        "school": targets.school.pk,
        "uai": targets.school.uai,
        "division": cast.division.pk,
        "division_id": cast.division.pk,
        "membership": cast.student_membership.pk,
        "membership_id": cast.student_membership.pk,
        "user": cast.student.pk,
        "user_id": cast.student.pk,
        "student": cast.student.pk,
        "group": targets.group.pk,
        "subject": cast.subject.pk,
        "token": targets.token.pk,
        "token_id": targets.token.pk,
        "delegation": targets.delegation.pk,
        "delegation_id": targets.delegation.pk,
        "id": cast.student_membership.pk,
        "pk": cast.student_membership.pk,
        # Form fields of today's views: token revocation, delegation grant.
        "action": "revoke",
        "person": cast.staff.pk,
        "guardian": cast.parent.pk,
        "permission": "schools.manage_accounts",
        # Lesson change form: a room and a replacement teacher of the school.
        "room": targets.room.pk,
        "replacement_teacher": cast.teacher.pk,
        "reason": "Sortie scolaire",
        "cancelled": "on",
        "date": targets.lesson.date.isoformat(),
        "start": "08:00",
        "end": "09:00",
        # Grade entry: a student of the school and a value.
        "value": "12",
        "version": "1",
        "period": targets.assessment.period_id,
        "title": "Contrôle",
        "scale": "20",
        "coefficient": "1",
        "kind": "written",
        # Announcements: a division of the school, the head's approval.
        "divisions": cast.division.pk,
        "profiles": "student",
        "whole_school": "on",
        "publish_at": "2026-11-30T08:00",
        "approval_required": "on",
        # Justifications: the school's absence, and the office's decision on its justification.
        "absences": targets.absence.pk,
        "latenesses": targets.lateness.pk,
        "justification": targets.justification.pk,
        "decision": "accept",
        "message": "Vu",
        "comment": "Malade",
        "starts_at": "2026-11-30T08:00",
        "ends_at": "2026-11-30T17:00",
        # Messaging and announcements: a person of the school as recipient, a text.
        "recipients": f"user:{cast.parent.pk}",
        "body": "Un message",
    }
