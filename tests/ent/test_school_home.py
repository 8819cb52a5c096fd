"""What a school's home shows each person: the next lesson of the day, the homework for the next school day,
the current announcements addressed to them.

The page reads whose day it shows (one's own, one's children's) and their lessons once, then hands them to
the three parts; each part read alone, as the API and the other pages call it, gives the same answer.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from annuaire.selectors import followed_students
from cahier_textes.models import Homework, HomeworkDone
from cahier_textes.selectors import homework_for_home
from communication.announcements.selectors import current_announcements, home_announcements
from communication.announcements.services import write_announcement
from schools.tenancy import school_scope
from tests.budgets import max_queries
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory
from tests.vie_scolaire.conftest import MONDAY, Timetable, build_timetable, paris_time
from tests.world import World
from vie_scolaire.models import Lesson
from vie_scolaire.timetable.selectors.home import home_audiences, next_lessons_for

pytestmark = pytest.mark.django_db
THURSDAY = MONDAY + datetime.timedelta(days=3)


@pytest.fixture
def timetable(world: World) -> Timetable:
    return build_timetable(world.a)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_of(user: object, timetable: Timetable, client: Client | None = None) -> str:
    response = (client or signed_in(user)).get(reverse("school_home", kwargs={"uai": timetable.cast.school.uai}))
    assert response.status_code == 200
    return response.content.decode()


def give_homework(timetable: Timetable, description: str, *, done_by: object = None) -> Homework:
    """Homework given in Monday's mathematics lesson, due on Tuesday."""
    school = timetable.cast.school
    with school_scope(school):
        lesson = Lesson.objects.get(weekly_lesson=timetable.maths, date=MONDAY)
        homework = Homework.objects.create(
            school=school, given_in=lesson, due_on=MONDAY + datetime.timedelta(days=1), description=description
        )
        if done_by is not None:
            HomeworkDone.objects.create(school=school, homework=homework, student=done_by)
    return homework


def test_the_student_their_parent_and_their_teacher_see_the_day(timetable: Timetable) -> None:
    cast = timetable.cast
    give_homework(timetable, "Exercice 4 page 12", done_by=cast.student)
    with time_machine.travel(paris_time(MONDAY, 8, 30), tick=False):
        student, parent = home_of(cast.student, timetable), home_of(cast.parent, timetable)
        teacher, other = home_of(cast.teacher, timetable), home_of(cast.other_student, timetable)
    maths = f"08:00–09:00 Mathématiques, salle {timetable.room}"
    for page in (student, parent):
        assert maths in page
        assert "Exercice 4 page 12" in page and "fait</span>" in page
    # The parent's page names the child; the student's own does not.
    assert f"<strong>{cast.student.first_name}</strong>" in parent
    assert f"<strong>{cast.student.first_name}</strong>" not in student
    assert maths in teacher
    # Another division: no lesson on Mondays, no homework due.
    assert "Plus de cours aujourd'hui." in other and "Rien à rendre." in other
    assert "Exercice 4 page 12" not in other


def test_a_group_lesson_reaches_the_group_s_students_only(timetable: Timetable) -> None:
    cast = timetable.cast
    with time_machine.travel(paris_time(THURSDAY, 13, 0), tick=False):
        in_group, classmate = home_of(cast.student, timetable), home_of(cast.classmate, timetable)
    assert "14:00–15:30 Anglais" in in_group
    assert "14:00–15:30 Anglais" not in classmate and "Plus de cours aujourd'hui." in classmate


def test_announcements_to_a_division_on_the_home(timetable: Timetable) -> None:
    cast = timetable.cast
    with school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
        write_announcement(
            school=cast.school, author=cast.direction, title="Sortie au musée", body="Jeudi 14 h.",
            publish_at=timezone.now() - datetime.timedelta(hours=1), divisions=[cast.division],
        )  # fmt: skip
    for reader in (cast.student, cast.parent, cast.teacher):
        assert "Sortie au musée" in home_of(reader, timetable)
    for other in (cast.other_student, cast.staff):
        assert "Sortie au musée" not in home_of(other, timetable)


def test_each_part_read_alone_gives_what_the_page_shows(world: World, timetable: Timetable) -> None:
    """The parts called without the page's reads (as the API and the other pages call them) answer the same,
    for every person of the school, a parent of children in two divisions and a student who is a parent too."""
    cast = timetable.cast
    give_homework(timetable, "Poème", done_by=cast.student)
    with school_scope(cast.school), TestCase.captureOnCommitCallbacks(execute=True):
        for division in (cast.division, cast.other_division):
            write_announcement(
                school=cast.school, author=cast.direction, title=f"Pour la {division.name}", body="…",
                publish_at=timezone.now() - datetime.timedelta(hours=1), divisions=[division],
            )  # fmt: skip
    two_children = UserFactory(username="parent.deux")
    MembershipFactory(school=cast.school, user=two_children, profile="parent")
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=two_children)
    GuardianshipFactory(school=cast.school, student=cast.other_student, guardian=two_children)
    # An adult student with a child of their own in the school: their home shows their own day.
    GuardianshipFactory(school=cast.school, student=cast.other_student, guardian=cast.classmate)
    # A contact who is not a legal representative sees nothing of the child.
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=cast.staff, legal_representative=False)
    people = [*cast.users_by_role.values(), cast.classmate, cast.other_student, two_children, world.a.teacher]
    now = paris_time(MONDAY, 8, 30)
    with time_machine.travel(now, tick=False), school_scope(cast.school):
        for person in people:
            followed = followed_students(person, cast.school)
            students = home_audiences(followed)
            assert next_lessons_for(person, cast.school, now, students) == next_lessons_for(person, cast.school, now)
            alone = homework_for_home(person, cast.school, MONDAY + datetime.timedelta(days=1))
            shared = homework_for_home(person, cast.school, MONDAY + datetime.timedelta(days=1), students)
            assert shared == alone
            current = list(current_announcements(person, cast.school, now))
            assert list(current_announcements(person, cast.school, now, followed)) == current
            # The home's hand-written read gives the newest of the same announcements, read state included.
            home = home_announcements(person, cast.school, now, followed, 5)
            assert [(row["pk"], row["is_read"], row["publish_at"]) for row in home] == [
                (announcement.pk, announcement.is_read, announcement.publish_at) for announcement in current[:5]
            ]
        named = [name for name, _lesson in next_lessons_for(two_children, cast.school, now)]
        assert named == sorted([cast.student.first_name, cast.other_student.first_name])
        assert [name for name, _lesson in next_lessons_for(cast.classmate, cast.school, now)] == [""]


def test_the_student_s_home_reads_the_day_in_a_few_queries(timetable: Timetable) -> None:
    """Session, user, school, memberships, delegations, services, whose day, their weekly lessons, the next
    lesson, the homework with its ticks, the announcements; the switcher's one school is the request's."""
    cast = timetable.cast
    give_homework(timetable, "Exercice 4 page 12", done_by=cast.student)
    client = signed_in(cast.student)
    with time_machine.travel(paris_time(MONDAY, 8, 30), tick=False), max_queries(11):
        page = home_of(cast.student, timetable, client)
    assert "Exercice 4 page 12" in page
    assert f'<p class="school-switcher school-switcher--single">{cast.school.name}</p>' in page


def test_the_switcher_lists_the_schools_of_a_parent_of_two(world: World, timetable: Timetable) -> None:
    parent, other = timetable.cast.parent, world.b
    MembershipFactory(school=other.school, user=parent, profile="parent")
    GuardianshipFactory(school=other.school, student=other.student, guardian=parent)
    page = home_of(parent, timetable)
    switcher = page[page.index('<nav class="school-switcher"') : page.index("</nav>")]
    assert timetable.cast.school.name in switcher and other.school.name in switcher
