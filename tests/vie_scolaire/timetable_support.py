"""What the three timetable import tests share: where the fixtures are, teachers, row counts."""

from __future__ import annotations

import datetime
from pathlib import Path

from annuaire.models import Division, GroupDivision, Profile, Subject, TeachingAssignment, TeachingGroup, User
from schools.models import School
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from vie_scolaire.models import (
    Lesson,
    Room,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
)

REPO = Path(__file__).resolve().parents[2]
TIMETABLE = REPO.parent / "shared" / "fixtures" / "timetable"
OWN_FIXTURES = Path(__file__).resolve().parent / "fixtures"

WRITTEN_MODELS = (
    WeeklyLesson,
    WeeklyLessonTeacher,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    Lesson,
    Subject,
    Room,
    TimeSlot,
    Division,
    TeachingGroup,
    GroupDivision,
    TeachingAssignment,
)


def school(uai: str) -> School:
    return SchoolFactory(uai=uai)


def teacher(school: School, last_name: str, first_name: str, birth_date: datetime.date | None = None) -> User:
    user = UserFactory(last_name=last_name, first_name=first_name, birth_date=birth_date)
    MembershipFactory(school=school, user=user, profile=Profile.TEACHER)
    return user


def row_counts() -> dict[str, int]:
    """Rows of every table an import writes, all schools together."""
    return {model.__name__: model.unscoped.count() for model in WRITTEN_MODELS}
