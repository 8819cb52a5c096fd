"""The homework book's rules: sanitised text, the default due lesson, the visa, the workload."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from cahier_textes.models import Homework, LessonEntry, WorkloadLimit
from cahier_textes.selectors import division_workload, next_lesson_of
from cahier_textes.services import HomeworkData, change_homework, give_homework, save_entry, sign_visa
from schools.tenancy import school_scope
from tests.vie_scolaire.conftest import MONDAY, Timetable
from vie_scolaire.models import Lesson, WeeklyLesson

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def occurrence(weekly: WeeklyLesson, day: datetime.date) -> Lesson:
    return Lesson.objects.get(weekly_lesson=weekly, date=day)


@pytest.fixture
def scoped(timetable: Timetable):  # type: ignore[no-untyped-def]
    with school_scope(timetable.cast.school):
        yield timetable


def test_rich_text_loses_scripts_event_handlers_javascript_links_and_images(scoped: Timetable) -> None:
    lesson = occurrence(scoped.maths, MONDAY)
    entry = save_entry(
        lesson=lesson,
        content=(
            '<p onclick="steal()">Théorème de <strong>Pythagore</strong><script>alert(1)</script></p>'
            '<img src="https://tracker.example/x.png" onerror="steal()">'
            '<a href="javascript:alert(1)">ici</a> <a href="https://fr.wikipedia.org/wiki/Pythagore">là</a>'
        ),
        author=scoped.cast.teacher,
    )
    stored = LessonEntry.objects.get(pk=entry.pk).content
    assert "<strong>Pythagore</strong>" in stored
    for forbidden in ("<script", "alert(1)", "onclick", "onerror", "<img", "javascript:", "tracker.example"):
        assert forbidden not in stored
    assert 'href="https://fr.wikipedia.org/wiki/Pythagore"' in stored and "noopener" in stored


def test_homework_is_due_for_the_class_next_lesson_by_default_weeks_a_and_b_included(scoped: Timetable) -> None:
    teacher = scoped.cast.teacher
    maths = give_homework(
        lesson=occurrence(scoped.maths, MONDAY), data=HomeworkData(description="Exercices 3 et 4"), author=teacher
    )
    assert (maths.due_on, maths.due_lesson.weekly_lesson_id) == (MONDAY + 7 * DAY, scoped.maths.pk)
    # Physics is on Tuesdays of week A only: given on 8 December (week A), due on 22 December.
    physics_day = datetime.date(2026, 12, 8)
    physics = give_homework(
        lesson=occurrence(scoped.week_a, physics_day), data=HomeworkData(description="Lire le chapitre"), author=teacher
    )
    assert physics.due_on == datetime.date(2026, 12, 22)
    assert next_lesson_of(occurrence(scoped.week_a, physics_day)) == physics.due_lesson


def test_a_due_lesson_of_another_class_or_a_past_date_is_refused(scoped: Timetable) -> None:
    lesson = occurrence(scoped.maths, MONDAY)
    other = occurrence(scoped.other_division, MONDAY + 4 * DAY)
    for data, message in (
        (HomeworkData(description="x", due_lesson_id=other.pk), "séance suivante de la même classe"),
        (HomeworkData(description="x", due_on=MONDAY), "après la séance"),
        (HomeworkData(description="<script>x</script>"), "Décrivez le travail"),
        (HomeworkData(description="x", minutes=900), "de 1 à 600 minutes"),
    ):
        with pytest.raises(ValidationError, match=message):
            give_homework(lesson=lesson, data=data, author=scoped.cast.teacher)
    assert not Homework.objects.exists()


def test_a_change_after_the_visa_is_marked_and_the_old_text_kept(scoped: Timetable) -> None:
    cast, lesson = scoped.cast, occurrence(scoped.maths, MONDAY)
    entry = save_entry(lesson=lesson, content="<p>Fractions</p>", author=cast.teacher)
    homework = give_homework(lesson=lesson, data=HomeworkData(description="Exercice 1"), author=cast.teacher)
    entry = save_entry(lesson=lesson, content="<p>Fractions, suite</p>", author=cast.teacher)
    assert entry.changed_after_visa_at is None and not entry.revisions.exists()  # no visa yet: a plain edit
    sign_visa(teacher=cast.teacher, division=cast.division, signed_by=cast.direction, comment="Vu.")
    entry = save_entry(lesson=lesson, content="<p>Fractions et décimaux</p>", author=cast.teacher)
    homework = change_homework(homework=homework, data=HomeworkData(description="Exercice 2"), author=cast.teacher)
    assert entry.changed_after_visa_at is not None and homework.changed_after_visa_at is not None
    assert [r.text for r in entry.revisions.all()] == ["<p>Fractions, suite</p>"]
    assert [r.text for r in homework.revisions.all()] == ["Exercice 1"]
    # A lesson after the visa's day is not covered: its edits are plain edits.
    later = occurrence(scoped.maths, MONDAY + 7 * DAY)
    save_entry(lesson=later, content="<p>A</p>", author=cast.teacher)
    assert save_entry(lesson=later, content="<p>B</p>", author=cast.teacher).changed_after_visa_at is None


def test_the_workload_sums_homework_minutes_and_assessments_per_day(scoped: Timetable) -> None:
    cast = scoped.cast
    WorkloadLimit.objects.create(school=cast.school, minutes_per_day=45, assessments_per_week=1)
    maths = occurrence(scoped.maths, MONDAY)
    english = occurrence(scoped.group_lesson, MONDAY + 3 * DAY)  # the group drawn from the division counts
    due = MONDAY + 7 * DAY
    give_homework(lesson=maths, data=HomeworkData(description="a", minutes=30), author=cast.teacher)
    give_homework(lesson=english, data=HomeworkData(description="b", minutes=20, due_on=due), author=cast.teacher)
    give_homework(
        lesson=maths, data=HomeworkData(description="c", kind="assessment", due_on=due + DAY), author=cast.teacher
    )
    give_homework(
        lesson=maths, data=HomeworkData(description="d", kind="assessment", due_on=due + 2 * DAY), author=cast.teacher
    )
    other = occurrence(scoped.other_division, MONDAY + 4 * DAY)
    give_homework(lesson=other, data=HomeworkData(description="e", minutes=60), author=cast.teacher)
    load = division_workload(cast.division, due, due + 4 * DAY)
    by_day = {day.day: day for day in load.days}
    assert (by_day[due].homework, by_day[due].minutes, by_day[due].over_minutes) == (2, 50, True)
    assert (by_day[due + DAY].assessments, by_day[due + 2 * DAY].assessments) == (1, 1)
    assert load.total_homework == 4 and load.total_minutes == 50
    assert load.weeks_over == [due]  # two assessments announced in that week, over the school's one


@pytest.mark.django_db
def test_the_demo_has_weeks_of_entries_homework_ticks_and_a_visa() -> None:
    from io import StringIO

    from django.core.management import call_command

    from cahier_textes.models import HomeworkDone, Visa
    from schools.models import School

    call_command("seed_demo", stdout=StringIO())
    voltaire = School.objects.get(uai="0752536Z")
    with school_scope(voltaire):
        assert LessonEntry.objects.count() > 100 and Homework.objects.count() > 30
        # Homework is due for the class's next lesson: same subject, after the lesson it was given in.
        for homework in Homework.objects.select_related("given_in__weekly_lesson", "due_lesson__weekly_lesson")[:50]:
            assert homework.due_lesson.weekly_lesson.subject_id == homework.given_in.weekly_lesson.subject_id
            assert (homework.due_on, homework.due_lesson.start) > (homework.given_in.date, homework.given_in.start)
        assert HomeworkDone.objects.exists() and Visa.objects.count() == 1


def test_a_progression_is_copied_in_order_onto_the_next_lessons_leaving_written_ones(scoped: Timetable) -> None:
    from cahier_textes.services import copy_entries

    cast = scoped.cast
    # Last lessons of another class of the teacher's (the other division's English) as the source.
    source = list(Lesson.objects.filter(weekly_lesson=scoped.other_division).order_by("date")[:3])
    for number, lesson in enumerate(source, start=1):
        save_entry(lesson=lesson, content=f"<p>Séance {number}</p>", author=cast.teacher)
    target = occurrence(scoped.maths, MONDAY)
    save_entry(lesson=occurrence(scoped.maths, MONDAY + 7 * DAY), content="<p>Déjà écrite</p>", author=cast.teacher)
    copied = copy_entries(
        source=scoped.other_division, first_day=source[0].date, target=target, count=3, author=cast.teacher
    )
    written = {
        entry.lesson.date: entry.content
        for entry in LessonEntry.objects.filter(lesson__weekly_lesson=scoped.maths).select_related("lesson")
    }
    assert copied == 3
    assert written == {
        MONDAY: "<p>Séance 1</p>",
        MONDAY + 7 * DAY: "<p>Déjà écrite</p>",
        MONDAY + 14 * DAY: "<p>Séance 2</p>",
        MONDAY + 21 * DAY: "<p>Séance 3</p>",
    }
    with pytest.raises(ValidationError, match="de 1 à 40"):
        copy_entries(
            source=scoped.other_division, first_day=source[0].date, target=target, count=0, author=cast.teacher
        )


def test_new_homework_reaches_the_class_and_its_parents_in_their_notifications(scoped: Timetable) -> None:
    from communication.models import Notification

    cast = scoped.cast
    give_homework(
        lesson=occurrence(scoped.maths, MONDAY), data=HomeworkData(description="Exercice 3"), author=cast.teacher
    )
    told = {n.recipient_id: n for n in Notification.objects.filter(kind="homework.given")}
    assert {cast.student.pk, cast.classmate.pk, cast.parent.pk} <= set(told)
    assert cast.other_student.pk not in told and cast.teacher.pk not in told
    assert told[cast.student.pk].title == "Travail à faire en Mathématiques pour le lundi 7 décembre"
