"""School B's objects, marked so a leak is visible, and a snapshot of what a school owns.

How URL arguments map onto these objects is in `tests.isolation.url_arguments`.

Every name, code and identifier of school B's people, classes, subjects and groups carries the
marker `SECRET` ("secretb"): a page or API answer shown to someone of school A that contains
it has leaked B's data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import models

from annuaire.models import (
    ActivationCode,
    Division,
    Guardianship,
    Membership,
    PersonalToken,
    Subject,
    TeachingGroup,
    User,
)
from cahier_textes.models import Attachment, Homework, LessonEntry
from communication.models import (
    Announcement,
    AnnouncementAudience,
    Conversation,
    Draft,
    Message,
    MessageAttachment,
    Notification,
    Participant,
)
from schools.models import School, SchoolUserObjectPermission
from schools.tenancy import school_scope
from tests.factories import AssessmentFactory, LessonFactory, RoomFactory, TeachingGroupFactory
from tests.world import SchoolCast
from vie_scolaire.models import (
    Absence,
    AbsenceReason,
    Assessment,
    CalendarFeed,
    Grade,
    Justification,
    Lateness,
    Lesson,
    Period,
    ReportCard,
    Room,
)
from vie_scolaire.timetable.services import create_calendar_feed

SECRET = "secretb"


@dataclass
class Targets:
    """One school's objects that URL arguments may point at."""

    cast: SchoolCast
    group: TeachingGroup
    guardianship: Guardianship
    token: PersonalToken
    delegation: SchoolUserObjectPermission
    room: Room
    lesson: Lesson
    feed: CalendarFeed
    assessment: Assessment
    report_card: ReportCard
    homework: Homework
    attachment: Attachment
    justification: Justification
    absence: Absence
    lateness: Lateness
    conversation: Conversation
    message: Message
    draft: Draft
    message_file: MessageAttachment
    announcement: Announcement
    notification: Notification

    @property
    def school(self) -> School:
        return self.cast.school


def build_targets(cast: SchoolCast, label: str) -> Targets:
    school = cast.school
    group = TeachingGroupFactory(school=school, code=f"G{label}", name=f"Groupe {label}")
    guardianship = Guardianship.unscoped.get(school=school, student=cast.student, guardian=cast.parent)
    token = PersonalToken.objects.create(
        user=cast.student, name=f"Téléphone {label}", key_hash=f"{label}" * 64, prefix=f"{label}" * 8
    )
    overview = Permission.objects.get(content_type__app_label="schools", codename="view_overview")
    delegation = SchoolUserObjectPermission.objects.create(user=cast.staff, permission=overview, content_object=school)
    room = RoomFactory(school=school, code=f"S{label}", name=f"Salle {label}")
    lesson = LessonFactory(
        school=school,
        weekly_lesson__subject=cast.subject,
        weekly_lesson__room=room,
        weekly_lesson__teachers=[cast.teacher],
        weekly_lesson__divisions=[cast.division],
    )
    with school_scope(school):
        feed, _key = create_calendar_feed(school=school, owner=cast.student)
    first, last = datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)
    period = Period.unscoped.create(school=school, school_year=2026, name=f"T1 {label}", first_day=first, last_day=last)
    assessment = AssessmentFactory(school=school, assignment=cast.assignment, period=period, title=f"Contrôle {label}")
    Grade.unscoped.create(school=school, assessment=assessment, student=cast.student, value=12)
    report_card = ReportCard.unscoped.create(
        school=school, period=period, student=cast.student, division=cast.division, pdf=f"bulletins/{label}.pdf"
    )
    LessonEntry.unscoped.create(school=school, lesson=lesson, content=f"<p>Séance {label}</p>")
    homework = Homework.unscoped.create(
        school=school, given_in=lesson, due_on=lesson.date + datetime.timedelta(days=7), description=f"Exercice {label}"
    )
    justification, absence, lateness = _justified_absence(cast, lesson)
    conversation, message, draft, message_file = _messages(cast, label)
    return Targets(
        cast=cast,
        group=group,
        guardianship=guardianship,
        token=token,
        delegation=delegation,
        room=room,
        lesson=lesson,
        feed=feed,
        assessment=assessment,
        report_card=report_card,
        homework=homework,
        attachment=Attachment.unscoped.create(
            school=school, homework=homework, name=f"Fiche {label}", url=f"https://example.org/{label}"
        ),
        justification=justification,
        absence=absence,
        lateness=lateness,
        conversation=conversation,
        message=message,
        draft=draft,
        message_file=message_file,
        **_communication(cast, label),
    )


def _messages(cast: SchoolCast, label: str) -> tuple[Conversation, Message, Draft, MessageAttachment]:
    """A conversation of the teacher and the parent with a file (a name only, never opened), and a draft."""
    school = cast.school
    moment = datetime.datetime(2026, 11, 30, 8, tzinfo=datetime.UTC)
    conversation = Conversation.unscoped.create(
        school=school, subject=f"Rendez-vous {label}", created_by=cast.parent, last_message_at=moment
    )
    Participant.unscoped.create(school=school, conversation=conversation, user=cast.parent, sent=True)
    Participant.unscoped.create(school=school, conversation=conversation, user=cast.teacher, received=True, unread=1)
    message = Message.unscoped.create(
        school=school, conversation=conversation, author=cast.parent, body=f"Bonjour {label}"
    )
    draft = Draft.unscoped.create(school=school, author=cast.teacher, subject=f"Brouillon {label}", body="À finir")
    message_file = MessageAttachment.unscoped.create(
        school=school, message=message, name=f"Pièce {label}.pdf", file=f"messagerie/{school.pk}/piece.pdf", size=10
    )
    return conversation, message, draft, message_file


def _communication(cast: SchoolCast, label: str) -> dict[str, Any]:
    """A current announcement to the student's division, a pending one, and the student's notification."""
    school = cast.school
    moment = datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)
    announcement = Announcement.unscoped.create(
        school=school, title=f"Sortie {label}", body=f"Sortie {label}", author=cast.direction, publish_at=moment
    )
    AnnouncementAudience.unscoped.create(school=school, announcement=announcement, division=cast.division)
    Announcement.unscoped.create(
        school=school, title=f"Projet {label}", body=f"Projet {label}", author=cast.staff, publish_at=moment,
        whole_school=True, status=Announcement.Status.PENDING,
    )  # fmt: skip
    notification = Notification.unscoped.create(
        school=school, recipient=cast.student, kind="announcement.published", title=f"Sortie {label}",
        url=f"/{school.uai}/actualites/{announcement.pk}/",
    )  # fmt: skip
    return {"announcement": announcement, "notification": notification}


def _justified_absence(cast: SchoolCast, lesson: Lesson) -> tuple[Justification, Absence, Lateness]:
    """A family's pending justification with a document, covering an absence and a lateness of the student.

    The document is only a name (no file): every request of another school is refused before it is opened.
    """
    school = cast.school
    with school_scope(school):
        reason = AbsenceReason.objects.get(code="MALADIE")
    justification = Justification.unscoped.create(
        school=school,
        student=cast.student,
        reason=reason,
        comment="Certificat médical",
        document=f"justifications/{school.pk}/certificat.pdf",
        submitted_by=cast.parent,
    )
    moment = datetime.datetime(2026, 11, 30, 8, tzinfo=datetime.UTC)
    absence = Absence.unscoped.create(
        school=school,
        student=cast.student,
        starts_at=moment,
        ends_at=moment + datetime.timedelta(hours=1),
        source=Absence.Source.OFFICE,
        justification=justification,
    )
    lateness = Lateness.unscoped.create(school=school, student=cast.student, lesson=lesson, minutes=5)
    return justification, absence, lateness


def mark_secret(targets: Targets) -> None:
    """Put the marker in every name of the school's people, classes, subjects and groups.

    The school's own name and UAI are public (the national directory of schools publishes
    them), so they stay unmarked: a refusal page may name the school it refuses.
    """
    cast = targets.cast
    people = {
        "direction": cast.direction,
        "staff": cast.staff,
        "teacher": cast.teacher,
        "student": cast.student,
        "classmate": cast.classmate,
        "other": cast.other_student,
        "parent": cast.parent,
    }
    for role, user in people.items():
        User.objects.filter(pk=user.pk).update(
            username=f"{SECRET}.{role}",
            first_name=f"Prenom{SECRET.capitalize()}{role}",
            last_name=f"{SECRET.capitalize()}{role}",
            email=f"{SECRET}.{role}@example.org",
        )
    for number, division in enumerate((cast.division, cast.other_division), start=1):
        Division.unscoped.filter(pk=division.pk).update(code=f"{SECRET.upper()}{number}", name=f"5e {SECRET} {number}")
    Subject.unscoped.filter(pk=cast.subject.pk).update(code=f"{SECRET.upper()}M", name=f"Mathématiques {SECRET}")
    TeachingGroup.unscoped.filter(pk=targets.group.pk).update(code=f"{SECRET.upper()}G", name=f"Groupe {SECRET}")
    PersonalToken.objects.filter(pk=targets.token.pk).update(name=f"Téléphone {SECRET}")
    Room.unscoped.filter(pk=targets.room.pk).update(code=f"{SECRET.upper()}R", name=f"Salle {SECRET}")
    Lesson.unscoped.filter(pk=targets.lesson.pk).update(change_reason=f"Sortie {SECRET}")
    Assessment.unscoped.filter(pk=targets.assessment.pk).update(title=f"Contrôle {SECRET}")
    Homework.unscoped.filter(pk=targets.homework.pk).update(description=f"Exercice {SECRET}")
    Attachment.unscoped.filter(pk=targets.attachment.pk).update(name=f"Fiche {SECRET}", url=f"https://{SECRET}.org/")
    LessonEntry.unscoped.filter(lesson=targets.lesson).update(content=f"<p>Séance {SECRET}</p>")
    Conversation.unscoped.filter(pk=targets.conversation.pk).update(subject=f"Rendez-vous {SECRET}")
    Message.unscoped.filter(pk=targets.message.pk).update(body=f"Bonjour {SECRET}")
    Draft.unscoped.filter(pk=targets.draft.pk).update(subject=f"Brouillon {SECRET}", body=f"À finir {SECRET}")
    MessageAttachment.unscoped.filter(pk=targets.message_file.pk).update(name=f"Pièce {SECRET}.pdf")
    Announcement.unscoped.filter(school=targets.school).update(title=f"Sortie {SECRET}", body=f"Texte {SECRET}")
    Notification.unscoped.filter(school=targets.school).update(title=f"Sortie {SECRET}", body=f"Texte {SECRET}")
    Justification.unscoped.filter(pk=targets.justification.pk).update(
        comment=f"Certificat {SECRET}", office_message=f"Message {SECRET}"
    )
    for obj in (cast.direction, cast.staff, cast.teacher, cast.student, cast.classmate):
        obj.refresh_from_db()
    for obj in (cast.other_student, cast.parent, cast.division, cast.other_division, cast.subject, targets.group):
        obj.refresh_from_db()


def leaks(content: bytes) -> bool:
    return SECRET in content.decode("utf-8", errors="replace").lower()


# --- what school B owns, to check nothing changed ---------------------------------------------


def school_models() -> list[type[models.Model]]:
    """Every concrete model with a field named `school`."""
    return [model for model in apps.get_models() if any(f.name == "school" for f in model._meta.get_fields())]


def snapshot(school: School) -> dict[str, list[dict[str, Any]]]:
    """Every row school B owns, its people and their credentials, as plain values."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in school_models():
        manager = getattr(model, "unscoped", model._default_manager)
        state[model._meta.label] = list(manager.filter(school=school).order_by("pk").values())
    user_ids = Membership.unscoped.filter(school=school).values("user")
    state["users"] = list(User.objects.filter(pk__in=user_ids).order_by("pk").values())
    state["tokens"] = list(PersonalToken.objects.filter(user__in=user_ids).order_by("pk").values())
    state["activation_codes"] = list(ActivationCode.objects.filter(user__in=user_ids).order_by("pk").values())
    state["delegations"] = list(
        SchoolUserObjectPermission.objects.filter(content_object=school).order_by("pk").values()
    )
    state["school"] = list(School.objects.filter(pk=school.pk).values())
    return state
