"""Students, then parents, are told once of grades published to them, on their publication date, and of
each grade entered or changed after it."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from annuaire.models import Guardianship, User
from communication.models import Notification, NotificationPreferences
from schools.tenancy import school_scope
from tests.budgets import application_queries, max_queries
from tests.factories import GuardianshipFactory
from tests.vie_scolaire.grades.grades_world import TODAY, Gradebook, build_gradebook, later_for_parents
from tests.world import World
from vie_scolaire.grades.services.grades import AssessmentData, create_assessment, record_grade, tell_published_grades
from vie_scolaire.models import Assessment, Grade
from vie_scolaire.tasks import tell_school_grade_change

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEWS = "Nouvelle note en Mathématiques : Contrôle du 16 novembre"
CHANGED = "Note modifiée en Mathématiques : Contrôle du 16 novembre"


def told(book: Gradebook) -> list[tuple[int, str]]:
    with school_scope(book.cast.school):
        return sorted(Notification.objects.filter(kind="grades.published").values_list("recipient", "title"))


def test_the_graded_students_and_their_parents_are_told_once(book: Gradebook) -> None:
    cast = book.cast
    with school_scope(cast.school):
        later_for_parents(book.tests[2], TODAY + datetime.timedelta(days=5))
        assert tell_published_grades(school=cast.school, today=TODAY) == 2
    news = "Nouvelle note en Mathématiques : Contrôle du 16 novembre"
    # The earlier tests are older than a week: not news; the parents wait for their own date.
    assert told(book) == sorted([(cast.student.pk, news), (cast.classmate.pk, news)])
    with school_scope(cast.school):
        assert tell_published_grades(school=cast.school, today=TODAY) == 0
        tell_published_grades(school=cast.school, today=TODAY + datetime.timedelta(days=5))
    assert (cast.parent.pk, f"{cast.student.first_name} — {news}") in told(book)
    with school_scope(cast.school):
        parents = Guardianship.objects.filter(student__in=[cast.student, cast.classmate], legal_representative=True)
        assert len(told(book)) == 2 + parents.count()


def test_the_beat_task_tells_every_school_with_news(book: Gradebook, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    from vie_scolaire.tasks import tell_published_grades_everywhere

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    assert tell_published_grades_everywhere.delay().get() == 1  # one school had news
    assert len(told(book)) >= 2
    assert tell_published_grades_everywhere.delay().get() == 0  # told: nothing left


# --- a grade entered or changed after publication --------------------------------------------------


def at(day: datetime.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS), tick=False)


def on(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


@pytest.fixture
def late(world: World) -> Iterator[Gradebook]:
    """The gradebook swept on 20 November, the student having missed the test of the 16th; the student has a
    second legal representative and a contact who is not one."""
    with at(TODAY):
        book = build_gradebook(world.a)
        cast = book.cast
        GuardianshipFactory(school=cast.school, student=cast.student)
        GuardianshipFactory(school=cast.school, student=cast.student, legal_representative=False)
        enter(book, "", seen_version=1)
        with school_scope(cast.school):
            tell_published_grades(school=cast.school, today=TODAY)
        yield book


def enter(book: Gradebook, raw: str, *, seen_version: int) -> Grade | None:
    """The teacher saves the student's cell of the test of 16 November, the commit's work run as in production."""
    cast = book.cast
    with school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
        return record_grade(
            assessment=book.tests[2], student_id=cast.student.pk, raw=raw, seen_version=seen_version,
            recorded_by=cast.teacher,
        )  # fmt: skip


def family_of(book: Gradebook) -> list[User]:
    with school_scope(book.cast.school):
        links = Guardianship.objects.filter(student=book.cast.student, legal_representative=True)
        return [book.cast.student, *(link.guardian for link in links)]


def told_to(book: Gradebook, people: list[User]) -> list[tuple[int, str]]:
    return [(recipient, title) for recipient, title in told(book) if recipient in {person.pk for person in people}]


def expected(book: Gradebook, title: str, *, parents: bool = True, student: bool = True) -> list[tuple[int, str]]:
    family = family_of(book)
    wanted = ([(family[0].pk, title)] if student else []) + [
        (parent.pk, f"{book.cast.student.first_name} — {title}") for parent in family[1:] if parents
    ]
    return sorted(wanted)


def test_a_grade_entered_after_publication_is_told_once_to_the_student_and_each_legal_representative(
    late: Gradebook,
) -> None:
    assert len(family_of(late)) == 3  # the student and two legal representatives
    assert told_to(late, family_of(late)) == []
    with at(on(3)):
        grade = enter(late, "4", seen_version=0)
        assert grade is not None
        assert told_to(late, family_of(late)) == expected(late, NEWS)
        # The task run again (a redelivery) and the sweep run again tell nobody twice.
        assert tell_school_grade_change.delay(late.cast.school.pk, grade.pk).get() == 0
        with school_scope(late.cast.school):
            assert tell_published_grades(school=late.cast.school, today=on(3)) == 0
    assert len(told(late)) == 1 + 3  # the classmate by the sweep, then the student's family


def test_a_grade_changed_again_is_told_again_once_and_saved_unchanged_tells_nobody(late: Gradebook) -> None:
    with at(on(3)):
        enter(late, "4", seen_version=0)
        enter(late, "5", seen_version=1)
        assert told_to(late, family_of(late)) == sorted(expected(late, NEWS) + expected(late, CHANGED))
        enter(late, "5", seen_version=2)  # the same value, saved again (a retried request)
        enter(late, "5", seen_version=1)  # from a page that still showed the former value
        enter(late, "abs", seen_version=2)  # a code is a change too
    assert told_to(late, family_of(late)) == sorted(expected(late, NEWS) + 2 * expected(late, CHANGED))


def test_a_grade_entered_before_publication_is_told_by_the_sweep_only(late: Gradebook) -> None:
    cast = late.cast
    with at(TODAY), school_scope(cast.school):
        future = create_assessment(
            assignment=cast.assignment, period=late.term,
            data=AssessmentData(title="Contrôle du 23 novembre", date=on(3), scale=20), created_by=cast.teacher,
        )  # fmt: skip
    before = len(told(late))
    for day, hour, raw, version in ((on(2), 10, "12", 0), (on(3), 7, "13", 1)):
        with at(day, hour), school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
            # The day before, then on the publication day before the sweep's first run.
            record_grade(
                assessment=future, student_id=cast.student.pk, raw=raw, seen_version=version, recorded_by=cast.teacher
            )
    assert len(told(late)) == before
    with at(on(3)), school_scope(cast.school):
        assert tell_published_grades(school=cast.school, today=on(3)) == 3
        assert tell_published_grades(school=cast.school, today=on(3)) == 0
    news = "Nouvelle note en Mathématiques : Contrôle du 23 novembre"
    assert [title for _, title in told_to(late, family_of(late))].count(news) == 1


def test_the_parents_later_publication_date_is_respected(late: Gradebook) -> None:
    with school_scope(late.cast.school):
        later_for_parents(late.tests[2], on(5))
        Assessment.objects.filter(pk=late.tests[2].pk).update(parents_told_at=None)
    with at(on(3)):
        enter(late, "4", seen_version=0)
    assert told_to(late, family_of(late)) == expected(late, NEWS, parents=False)
    with at(on(5)), school_scope(late.cast.school):
        tell_published_grades(school=late.cast.school, today=on(5))
    assert told_to(late, family_of(late)) == expected(late, NEWS)  # the parents' sweep, the student not again
    with at(on(6)):
        enter(late, "5", seen_version=1)
    assert told_to(late, family_of(late)) == sorted(expected(late, NEWS) + expected(late, CHANGED))


def test_a_student_who_turned_grades_off_finds_the_late_grade_read_and_gets_no_mail(late: Gradebook) -> None:
    NotificationPreferences.objects.create(user=late.cast.student, channels={"grade": []})
    NotificationPreferences.objects.create(user=late.cast.parent, channels={"grade": ["app", "email"]})
    mail.outbox.clear()
    with at(on(3)):
        enter(late, "4", seen_version=0)
    with school_scope(late.cast.school):
        notice = Notification.objects.get(recipient=late.cast.student, kind="grades.published")
    assert notice.read_at is not None  # recorded, already read: no badge
    assert [message.to for message in mail.outbox] == [[late.cast.parent.email]]


def test_a_late_grades_save_and_its_telling_cost_the_same_queries_whatever_the_family(late: Gradebook) -> None:
    def saved_queries(raw: str, seen_version: int) -> int:
        with max_queries(40) as captured:
            enter(late, raw, seen_version=seen_version)
        return len(application_queries(captured))

    with at(on(3)):
        enter(late, "3", seen_version=0)
        small = saved_queries("4", 1)
        for _ in range(3):
            GuardianshipFactory(school=late.cast.school, student=late.cast.student)
        assert saved_queries("2", 2) == small
