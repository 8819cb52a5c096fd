"""Students, then parents, are told once of grades published to them, on their publication date."""

from __future__ import annotations

import datetime

import pytest

from annuaire.models import Guardianship
from communication.models import Notification
from schools.tenancy import school_scope
from tests.vie_scolaire.grades_world import TODAY, Gradebook, later_for_parents
from vie_scolaire.services_grades import tell_published_grades

pytestmark = pytest.mark.django_db


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
