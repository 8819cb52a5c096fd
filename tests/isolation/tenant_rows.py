"""Every tenant model (read from the app registry), and a row of each in one school for the scope tests."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from annuaire.models import (
    CharterAcceptance,
    GroupDivision,
    GroupMembership,
    ImportRun,
    ImportRunSchool,
    StudentContact,
    TeachingGroup,
)
from cahier_textes.models import Attachment, Homework, HomeworkDone, LessonEntry, Revision, Visa, WorkloadLimit
from communication.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
    Conversation,
    Draft,
    Message,
    MessageAttachment,
    MessageReport,
    MessagingSettings,
    ModerationEvent,
    Participant,
    PolicyRule,
    SendingLimit,
)
from communication.notifications.services.notices import notify
from schools.models import SchoolService
from schools.tenancy import school_scope
from tests.factories import LessonFactory, RoomFactory, TeachingGroupFactory
from tests.isolation.targets import school_models
from tests.world import SchoolCast
from vie_scolaire.models import (
    Absence,
    AbsenceReason,
    Assessment,
    AttendanceSettings,
    AttendanceWithholding,
    CyclePositioning,
    EarlyDeparture,
    Grade,
    GradeCode,
    Holiday,
    Justification,
    Lateness,
    Lesson,
    Period,
    ReportCard,
    ReportCardRun,
    RollCall,
    SchoolCalendar,
    SkillEvaluation,
    SubjectCoefficient,
    SubjectComment,
    TimeSlot,
    WeekOverride,
)
from vie_scolaire.timetable.services import create_calendar_feed

TENANT_MODELS = school_models()


def label(model: type[models.Model]) -> str:
    return model._meta.label


def add_rows(cast: SchoolCast) -> None:
    """Rows of the tenant tables the world leaves empty, so every kind is compared across schools."""
    school = cast.school
    group = TeachingGroupFactory(school=school)
    GroupDivision.unscoped.create(school=school, group=group, division=cast.division)
    GroupMembership.unscoped.create(school=school, group=group, membership=cast.student_membership)
    CharterAcceptance.unscoped.create(school=school, user=cast.student)
    SchoolService.unscoped.create(school=school, module="annuaire", state=SchoolService.State.ON)
    StudentContact.unscoped.create(school=school, student=cast.student, external_id="c1", last_name="Contact")
    run = ImportRun.objects.create(status=ImportRun.Status.APPLIED)
    ImportRunSchool.unscoped.create(school=school, run=run)
    add_timetable_rows(cast, group)
    add_grade_rows(cast)
    add_book_rows(cast)
    add_messaging_rows(cast)


def add_messaging_rows(cast: SchoolCast) -> None:
    school = cast.school
    conversation = Conversation.unscoped.create(school=school, subject="Sortie", last_message_at=timezone.now())
    Participant.unscoped.create(school=school, conversation=conversation, user=cast.parent, sent=True)
    message = Message.unscoped.create(school=school, conversation=conversation, author=cast.parent, body="Bonjour")
    draft = Draft.unscoped.create(school=school, author=cast.teacher, subject="Plus tard")
    MessageAttachment.unscoped.create(school=school, draft=draft, name="a.pdf", file="messagerie/a.pdf", size=1)
    PolicyRule.unscoped.create(school=school, sender_profile="student", recipient_profile="student", reach="division")
    SendingLimit.unscoped.create(school=school, profile="student", max_recipients=10, max_per_minute=2)
    MessagingSettings.unscoped.create(school=school, students_suspended=True)
    MessageReport.unscoped.create(school=school, message=message, reporter=cast.teacher)
    ModerationEvent.unscoped.create(school=school, kind="report", actor=cast.teacher, message=message)
    add_announcement_rows(cast)


def add_announcement_rows(cast: SchoolCast) -> None:
    school = cast.school
    announcement = Announcement.unscoped.create(
        school=school, title="Sortie", body="Jeudi", author=cast.direction, publish_at=timezone.now()
    )
    AnnouncementAudience.unscoped.create(school=school, announcement=announcement, division=cast.division)
    AnnouncementRead.unscoped.create(school=school, announcement=announcement, user=cast.student)
    AnnouncementSettings.unscoped.create(school=school, approval_required=True)


def add_book_rows(cast: SchoolCast) -> None:
    school = cast.school
    lesson = Lesson.unscoped.filter(school=school).first()
    entry = LessonEntry.unscoped.create(school=school, lesson=lesson, content="<p>Fractions</p>")
    homework = Homework.unscoped.create(school=school, given_in=lesson, due_on=lesson.date, description="Ex. 1")
    Revision.unscoped.create(school=school, entry=entry, text="<p>Avant</p>")
    HomeworkDone.unscoped.create(school=school, homework=homework, student=cast.student)
    Attachment.unscoped.create(school=school, homework=homework, name="Fiche", url="https://example.org/fiche")
    Visa.unscoped.create(school=school, teacher=cast.teacher, division=cast.division, covers_until=lesson.date)
    WorkloadLimit.unscoped.create(school=school)


def add_timetable_rows(cast: SchoolCast, group: TeachingGroup) -> None:
    school = cast.school
    day = datetime.date(2026, 9, 7)
    SchoolCalendar.unscoped.create(school=school, school_year=2026, first_day=day, last_day=datetime.date(2027, 7, 3))
    Holiday.unscoped.create(school=school, school_year=2026, name="Toussaint", first_day=day, last_day=day)
    Period.unscoped.create(school=school, school_year=2026, name="T1", first_day=day, last_day=day)
    WeekOverride.unscoped.create(school=school, monday=day, kind="B")
    TimeSlot.unscoped.create(school=school, code="M1", start=datetime.time(8), end=datetime.time(9))
    lesson = LessonFactory(
        school=school,
        weekly_lesson__teachers=[cast.teacher],
        weekly_lesson__divisions=[cast.division],
        weekly_lesson__groups=[group],
        weekly_lesson__room=RoomFactory(school=school),
    )
    # Every school is born with its reasons (the legal ones of article L131-8).
    reason = AbsenceReason.unscoped.get(school=school, code="MALADIE")
    RollCall.unscoped.create(school=school, lesson=lesson, taken_by=cast.teacher)
    AttendanceSettings.unscoped.create(school=school, roll_call_opens_before=5)
    moment = timezone.now()
    Absence.unscoped.create(
        school=school, student=cast.student, starts_at=moment, ends_at=moment + datetime.timedelta(hours=1),
        source="office", reason=reason,
    )  # fmt: skip
    justification = Justification.unscoped.create(school=school, student=cast.student, reason=reason, comment="Fièvre")
    Absence.unscoped.filter(school=school).update(justification=justification)
    Lateness.unscoped.create(school=school, student=cast.classmate, lesson=lesson, minutes=5)
    EarlyDeparture.unscoped.create(school=school, student=cast.student, lesson=lesson, left_at=datetime.time(8, 30))
    AttendanceWithholding.unscoped.create(school=school, student=cast.student)
    with school_scope(school):
        create_calendar_feed(school=school, owner=cast.student)
        notify(school=school, recipients=[cast.student], kind="test", title=lesson.weekly_lesson.subject.name)


def add_grade_rows(cast: SchoolCast) -> None:
    school = cast.school
    period = Period.unscoped.create(
        school=school,
        school_year=2026,
        name="T2",
        first_day=datetime.date(2026, 12, 1),
        last_day=datetime.date(2027, 3, 1),
    )
    code = GradeCode.unscoped.create(school=school, code="Abs", label="Absent")
    assessment = Assessment.unscoped.create(
        school=school, assignment=cast.assignment, period=period, title="Contrôle", date=datetime.date(2026, 12, 7)
    )
    Grade.unscoped.create(school=school, assessment=assessment, student=cast.student, code=code)
    SubjectCoefficient.unscoped.create(school=school, division=cast.division, subject=cast.subject, coefficient=2)
    SubjectComment.unscoped.create(
        school=school, period=period, assignment=cast.assignment, student=cast.student, comment="Bien"
    )
    ReportCard.unscoped.create(school=school, period=period, student=cast.student, division=cast.division)
    ReportCardRun.unscoped.create(school=school, period=period, division=cast.division, total=1)
    SkillEvaluation.unscoped.create(school=school, student=cast.student, component="CPD_FRA", level=3)
    CyclePositioning.unscoped.create(
        school=school, student=cast.student, school_year=2026, component="CPD_FRA", level=2
    )
