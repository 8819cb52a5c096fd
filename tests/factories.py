"""factory_boy factories for the directory, the schools and the timetable."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from annuaire.models import (
    Division,
    Guardianship,
    Mef,
    Membership,
    Profile,
    Subject,
    TeachingAssignment,
    TeachingGroup,
    User,
)
from schools.models import School, Wave
from schools.uai import expected_check_letter
from schools.years import school_year_of
from vie_scolaire.calendar.weeks import monday_of
from vie_scolaire.models import (
    Assessment,
    Lesson,
    Room,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
    WeekPattern,
)

DEMO_PASSWORD = "correct horse battery staple"


def make_uai(n: int) -> str:
    digits = f"075{n:04d}"
    return digits + expected_check_letter(digits)


class TenantFactory(DjangoModelFactory):
    """Factories write through the named unscoped manager: fixtures are cross-school work."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):  # type: ignore[no-untyped-def]
        return model_class.unscoped


class WaveFactory(DjangoModelFactory):
    class Meta:
        model = Wave

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Vague {o.number}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    # Cycles through 0758000-0759499 (a long run creates thousands of schools, each test only a few);
    # 0759500-0759999 stay free for the UAIs tests write themselves.
    uai = factory.Sequence(lambda n: make_uai(8000 + n % 1500))
    name = factory.Sequence(lambda n: f"Collège Test {n}")
    kind = School.Kind.COLLEGE
    status = School.Status.OPEN
    address = "1 rue de l'École"
    postal_code = "75011"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user.{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(DEMO_PASSWORD)


class MefFactory(DjangoModelFactory):
    class Meta:
        model = Mef
        django_get_or_create = ("code",)

    code = "10010012110"
    label = "6EME"


class DivisionFactory(TenantFactory):
    class Meta:
        model = Division

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"6{n}")
    name = factory.LazyAttribute(lambda o: o.code)
    school_year = 2026


class TeachingGroupFactory(TenantFactory):
    class Meta:
        model = TeachingGroup

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.LazyAttribute(lambda o: o.code)
    school_year = 2026


class SubjectFactory(TenantFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"0{n:05d}")
    name = factory.Sequence(lambda n: f"Matière {n}")


class MembershipFactory(TenantFactory):
    class Meta:
        model = Membership

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    profile = Profile.STUDENT


class TeachingAssignmentFactory(TenantFactory):
    class Meta:
        model = TeachingAssignment

    school = factory.SubFactory(SchoolFactory)
    teacher = factory.SubFactory(UserFactory)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    division = factory.SubFactory(DivisionFactory, school=factory.SelfAttribute("..school"))


class GuardianshipFactory(TenantFactory):
    class Meta:
        model = Guardianship

    school = factory.SubFactory(SchoolFactory)
    student = factory.SubFactory(UserFactory)
    guardian = factory.SubFactory(UserFactory)


class RoomFactory(TenantFactory):
    class Meta:
        model = Room

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"{100 + n}")
    name = factory.LazyAttribute(lambda o: f"Salle {o.code}")


class WeeklyLessonFactory(TenantFactory):
    """A weekly lesson; `teachers`, `divisions` and `groups` take lists of objects of its school."""

    class Meta:
        model = WeeklyLesson
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(lambda: school_year_of(timezone.localdate()))
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    weekday = 1
    start = datetime.time(8, 0)
    end = datetime.time(9, 0)
    week_pattern = WeekPattern.EVERY
    source = WeeklyLesson.Source.MANUAL
    source_key = factory.Sequence(lambda n: f"lesson-{n}")

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for teacher in extracted or ():
            WeeklyLessonTeacher.unscoped.create(school_id=self.school_id, weekly_lesson=self, teacher=teacher)

    @factory.post_generation
    def divisions(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for division in extracted or ():
            WeeklyLessonDivision.unscoped.create(school_id=self.school_id, weekly_lesson=self, division=division)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for group in extracted or ():
            WeeklyLessonGroup.unscoped.create(school_id=self.school_id, weekly_lesson=self, group=group)


class LessonFactory(TenantFactory):
    """One occurrence, by default on this week's Monday at its weekly lesson's time and room."""

    class Meta:
        model = Lesson

    school = factory.SubFactory(SchoolFactory)
    weekly_lesson = factory.SubFactory(WeeklyLessonFactory, school=factory.SelfAttribute("..school"))
    scheduled_date = factory.LazyFunction(lambda: monday_of(timezone.localdate()))
    date = factory.SelfAttribute("scheduled_date")
    start = factory.SelfAttribute("weekly_lesson.start")
    end = factory.SelfAttribute("weekly_lesson.end")
    room = factory.SelfAttribute("weekly_lesson.room")


class AssessmentFactory(TenantFactory):
    class Meta:
        model = Assessment

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Devoir {n}")
    date = datetime.date(2026, 11, 10)
    published_to_students_on = datetime.date(2026, 11, 10)
    published_to_parents_on = datetime.date(2026, 11, 10)
