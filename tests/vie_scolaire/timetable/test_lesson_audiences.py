"""The hand-written reads of whose lessons (the school home's) say what the timetable's audiences say."""

from __future__ import annotations

import pytest

from annuaire.models import Membership, User
from schools.rows import school_rows
from schools.tenancy import school_scope
from tests.factories import UserFactory
from tests.vie_scolaire.conftest import Timetable
from tests.world import SchoolCast
from vie_scolaire.timetable.models import Lesson, WeeklyLessonTeacher
from vie_scolaire.timetable.selectors import Audience, student_audience, teacher_audience
from vie_scolaire.timetable.selectors.home import STUDENT_LESSONS, TEACHER_LESSONS

pytestmark = pytest.mark.django_db

LESSONS = "SELECT l.id FROM vie_scolaire_lesson l WHERE l.school_id = %(school)s AND ({whose})"


def by_orm(audience: Audience) -> set[int]:
    return set(Lesson.objects.filter(audience.condition).values_list("pk", flat=True))


def by_hand(whose: str, **params: object) -> set[int]:
    return {row[0] for row in school_rows(LESSONS.format(whose=whose), **params)}


def test_a_teachers_lessons_taught_shared_and_replaced_are_the_same_both_ways(timetable: Timetable) -> None:
    cast = timetable.cast
    colleague, substitute = UserFactory(), UserFactory()
    # The colleague shares the group's lesson; the substitute replaces one maths lesson.
    WeeklyLessonTeacher.unscoped.create(school=cast.school, weekly_lesson=timetable.group_lesson, teacher=colleague)
    with school_scope(cast.school):
        replaced = Lesson.objects.filter(weekly_lesson=timetable.maths).order_by("date").first()
        Lesson.objects.filter(pk=replaced.pk).update(replacement_teacher=substitute)
        for teacher in (cast.teacher, colleague, substitute, cast.student):
            expected = by_orm(teacher_audience(cast.school, teacher))
            assert by_hand(TEACHER_LESSONS, teacher=teacher.pk) == expected
        assert by_hand(TEACHER_LESSONS, teacher=substitute.pk) == {replaced.pk}
        assert len(by_hand(TEACHER_LESSONS, teacher=colleague.pk)) > 0


def test_a_students_lessons_of_their_division_and_groups_are_the_same_both_ways(timetable: Timetable) -> None:
    cast = timetable.cast
    with school_scope(cast.school):
        for membership in (cast.student_membership, member_of(cast.classmate, cast)):
            audience = student_audience(membership)
            assert by_hand(STUDENT_LESSONS, weekly=audience.weekly_lessons) == by_orm(audience)
        # The student's group lesson is theirs, not their classmate's.
        group_lessons = set(Lesson.objects.filter(weekly_lesson=timetable.group_lesson).values_list("pk", flat=True))
        assert group_lessons <= by_orm(student_audience(cast.student_membership))
        assert not group_lessons & by_orm(student_audience(member_of(cast.classmate, cast)))


def member_of(student: User, cast: SchoolCast) -> Membership:
    return Membership.objects.select_related("user").get(school=cast.school, user=student)
