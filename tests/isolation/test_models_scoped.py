"""Every model with a `school` key is a tenant table: fail-closed scoped manager, named unscoped path.

The list of models is read from the app registry, so a model added later is checked
without editing this file. (PostgreSQL row-level security, the second wall, is tested with
its own migration, not here.)
"""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.utils import timezone
from django_scopes.exceptions import ScopeError

from annuaire.models import (
    CharterAcceptance,
    Division,
    GroupDivision,
    GroupMembership,
    Guardianship,
    ImportRun,
    ImportRunSchool,
    Membership,
    Profile,
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
from communication.services import notify
from schools.models import School, SchoolService
from schools.tenancy import current_school, school_scope, schools_scope
from tests.factories import (
    GuardianshipFactory,
    LessonFactory,
    MembershipFactory,
    RoomFactory,
    SchoolFactory,
    TeachingGroupFactory,
    UserFactory,
)
from tests.isolation.targets import school_models
from tests.world import SchoolCast, World
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


@pytest.fixture
def populated(world: World) -> World:
    add_rows(world.a)
    add_rows(world.b)
    return world


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


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_default_manager_fails_closed_without_a_school(populated: World, model: type[models.Model]) -> None:
    manager = model._default_manager
    assert manager is model.objects, f"{label(model)}: the default manager is not `objects`"  # type: ignore[attr-defined]
    assert hasattr(manager, "with_scopes_disabled"), f"{label(model)}.objects is not django-scopes' ScopedManager"
    assert current_school() is None
    rows_of_b = model.unscoped.filter(school=populated.b.school).count()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(model.objects.all())  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.count()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.filter(school=populated.b.school).first()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.get(pk=1)  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(model.objects.values_list("pk", flat=True))  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.in_bulk([1])  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.update(school=populated.a.school)  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        model.objects.all().delete()  # type: ignore[attr-defined]
    # Nothing was moved or deleted by the refused writes.
    assert model.unscoped.filter(school=populated.b.school).count() == rows_of_b  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_yes_no_answers_fail_closed_without_a_school(world: World) -> None:
    for answer in ("exists", "in_bulk", "explain"):
        with pytest.raises(ScopeError):
            getattr(Division.objects, answer)()  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        Division.objects.contains(world.a.division)  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_unscoped_manager_is_the_named_cross_school_path(populated: World, model: type[models.Model]) -> None:
    unscoped = getattr(model, "unscoped", None)
    assert isinstance(unscoped, models.Manager), f"{label(model)} has no `unscoped` manager"
    assert not hasattr(unscoped, "with_scopes_disabled"), f"{label(model)}.unscoped is scoped"
    schools = set(unscoped.values_list("school", flat=True))
    assert {populated.a.school.pk, populated.b.school.pk} <= schools


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_school_scope_sees_only_its_school(populated: World, model: type[models.Model]) -> None:
    a, b = populated.a.school, populated.b.school
    b_row = model.unscoped.filter(school=b).first()  # type: ignore[attr-defined]
    if b_row is None or not model.unscoped.filter(school=a).exists():  # type: ignore[attr-defined]
        pytest.skip(f"no row of {label(model)} in both schools: add one to add_rows() of this file")
    with school_scope(a):
        assert current_school() == a
        rows = list(model.objects.all())  # type: ignore[attr-defined]
        assert rows
        assert {row.school_id for row in rows} == {a.pk}
        assert not model.objects.filter(pk=b_row.pk).exists()  # type: ignore[attr-defined]
        with pytest.raises(model.DoesNotExist):  # type: ignore[attr-defined]
            model.objects.get(pk=b_row.pk)  # type: ignore[attr-defined]
        # Filtering on the other school explicitly still finds nothing.
        assert not list(model.objects.filter(school=b))  # type: ignore[attr-defined]
    # Leaving the scope closes the door again.
    assert current_school() is None
    with pytest.raises(ScopeError):
        list(model.objects.all())  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_school_scope_refuses_a_missing_or_unsaved_school() -> None:
    with pytest.raises(ScopeError), school_scope(None):  # type: ignore[arg-type]
        pytest.fail("entered a scope with no school")
    unsaved = School(uai="0750680G", name="Pas encore enregistré", kind=School.Kind.COLLEGE)
    with pytest.raises(ScopeError), school_scope(unsaved):
        pytest.fail("entered a scope with an unsaved school")
    assert current_school() is None


@pytest.mark.django_db
def test_nested_scopes_restore_the_outer_school(world: World) -> None:
    a, b = world.a.school, world.b.school
    with school_scope(a):
        with school_scope(b):
            assert set(Division.objects.values_list("school", flat=True)) == {b.pk}  # type: ignore[attr-defined]
        assert current_school() == a
        assert set(Division.objects.values_list("school", flat=True)) == {a.pk}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_parents_schools_scope_sees_only_the_listed_schools(world: World) -> None:
    """A parent with children in A and C reads across exactly those two schools, never B."""
    parent = world.a.parent
    c = SchoolFactory(name="Collège C")
    child_in_c = UserFactory()
    MembershipFactory(school=c, user=child_in_c, profile=Profile.STUDENT)
    MembershipFactory(school=c, user=parent, profile=Profile.PARENT)
    GuardianshipFactory(school=c, student=child_in_c, guardian=parent)
    # A stray row in B naming the same parent: the scope alone must keep it out.
    GuardianshipFactory(school=world.b.school, student=world.b.classmate, guardian=parent)

    with schools_scope([world.a.school.pk, c.pk]):
        links = list(Guardianship.objects.filter(guardian=parent))  # type: ignore[attr-defined]
        assert {link.school_id for link in links} == {world.a.school.pk, c.pk}
        assert {link.student_id for link in links} == {world.a.student.pk, child_in_c.pk}
        assert set(Membership.objects.values_list("school", flat=True)) == {world.a.school.pk, c.pk}  # type: ignore[attr-defined]
    with schools_scope([]):
        assert not list(Guardianship.objects.all())  # type: ignore[attr-defined]
    with pytest.raises(ScopeError):
        list(Guardianship.objects.all())  # type: ignore[attr-defined]
