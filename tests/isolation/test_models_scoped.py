"""Every model with a `school` key is a tenant table: listed, a non-null key to School, indexes that
lead with it. (Its fail-closed scoped manager and named unscoped path: `test_tenant_scopes.py`.)

The list of models is read from the app registry, so a model added later is checked
without editing this file. (PostgreSQL row-level security, the second wall, is tested with
its own migration, not here.)
"""

from __future__ import annotations

import pytest
from django.db import models

from annuaire.models import (
    CharterAcceptance,
    Division,
    GroupDivision,
    GroupMembership,
    Guardianship,
    ImportRunSchool,
    Membership,
    StudentContact,
    Subject,
    TeachingAssignment,
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
    Notification,
    Participant,
    PolicyRule,
    SendingLimit,
)
from schools.models import School, SchoolService
from tests.isolation.tenant_rows import TENANT_MODELS, label
from vie_scolaire.models import (
    Absence,
    AbsenceReason,
    Assessment,
    AttendanceSettings,
    AttendanceWithholding,
    CalendarFeed,
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
    Room,
    SchoolCalendar,
    SkillEvaluation,
    SubjectCoefficient,
    SubjectComment,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
    WeekOverride,
)


def test_every_known_tenant_model_is_listed() -> None:
    known = {
        Division,
        TeachingGroup,
        GroupDivision,
        Subject,
        Membership,
        GroupMembership,
        TeachingAssignment,
        Guardianship,
        CharterAcceptance,
        SchoolService,
        StudentContact,
        ImportRunSchool,
        SchoolCalendar,
        Holiday,
        Period,
        WeekOverride,
        TimeSlot,
        Room,
        WeeklyLesson,
        WeeklyLessonTeacher,
        WeeklyLessonDivision,
        WeeklyLessonGroup,
        Lesson,
        CalendarFeed,
        Notification,
        GradeCode,
        Assessment,
        Grade,
        SubjectCoefficient,
        SubjectComment,
        ReportCard,
        ReportCardRun,
        SkillEvaluation,
        CyclePositioning,
        AbsenceReason,
        RollCall,
        Absence,
        Lateness,
        Justification,
        EarlyDeparture,
        AttendanceSettings,
        AttendanceWithholding,
        LessonEntry,
        Homework,
        Revision,
        HomeworkDone,
        Attachment,
        Visa,
        WorkloadLimit,
        Conversation,
        Participant,
        Message,
        Draft,
        MessageAttachment,
        PolicyRule,
        SendingLimit,
        MessagingSettings,
        MessageReport,
        ModerationEvent,
        Announcement,
        AnnouncementAudience,
        AnnouncementRead,
        AnnouncementSettings,
    }
    assert known <= set(TENANT_MODELS), f"not found: {sorted(label(m) for m in known - set(TENANT_MODELS))}"


@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_school_key_is_a_non_null_foreign_key_to_school(model: type[models.Model]) -> None:
    field = model._meta.get_field("school")
    assert isinstance(field, models.ForeignKey), f"{label(model)}.school is not a foreign key"
    assert field.remote_field.model is School, f"{label(model)}.school does not point at schools.School"
    assert not field.null, f"{label(model)}.school may be null: every row must belong to one school"


@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_indexes_lead_with_school(model: type[models.Model]) -> None:
    """Citus distributes by school: a declared index that does not start with it cannot serve a tenant query."""
    for index in model._meta.indexes:
        assert index.fields and index.fields[0] == "school", (
            f"{label(model)} index {index.name} does not start with school"
        )
