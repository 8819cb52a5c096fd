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
from vie_scolaire.timetable.imports.importer import import_timetable

REPO = Path(__file__).resolve().parents[3]
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


def assert_dry_run_then_idempotent(college: School, paths: list[Path], today: datetime.date) -> None:
    """A dry run writes nothing and counts what the real run does; a second real run writes nothing."""
    dry = import_timetable(school=college, paths=paths, dry_run=True, today=today)
    assert row_counts()["WeeklyLesson"] == 0
    first = import_timetable(school=college, paths=paths, today=today)
    before = row_counts()
    second = import_timetable(school=college, paths=paths, today=today)
    assert dict(dry.counts) == dict(first.counts)
    assert second.rows_written == 0, second.counts
    assert row_counts() == before
