"""The home pages' query counts do not grow with the data.

Each page is measured on a small and a big school (5 vs 200 students, 1 vs 8 classes) and
for a small and a big family (1 child vs 3 children in 2 schools): the same bound holds for
both, and the big world never costs more queries than the small one. The bounds are the
measured counts; a change that adds a query per row breaks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annuaire.models import Division, Guardianship, Membership, Profile, TeachingAssignment, User
from schools.models import School
from tests.budgets import application_queries
from tests.factories import SchoolFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# Measured. Personal home: session, user, memberships, schools, children (with their school).
PARENT_HOME_QUERIES = 5
TEACHER_HOME_QUERIES = 5
# School home: session, user, school by UAI, memberships, delegations, services (the switcher's schools: no
# query for a person of one school, the school is the request's), whose day it shows (the student's membership)
# and their weekly lessons, read once for the three parts, and the current announcements (one query, read state
# included). The students of this world have no lessons: today's next lesson and the homework for the next
# school day need no query then (with lessons, one each, and the ticks come with the homework).
STUDENT_SCHOOL_HOME_QUERIES = 9

SIZES = {"small": (5, 1), "big": (200, 8)}  # students, divisions per school


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@dataclass
class Populated:
    school: School
    divisions: list[Division]
    students: list[User]


def populate(students: int, divisions: int, label: str) -> Populated:
    """A school with `students` students spread over `divisions` classes, written in bulk."""
    school = SchoolFactory(name=f"Collège {label}")
    classes = Division.unscoped.bulk_create(
        [Division(school=school, code=f"{label}{n}", name=f"5e{label}{n}", school_year=2026) for n in range(divisions)]
    )
    users = User.objects.bulk_create(
        [User(username=f"eleve.{label}.{n}", first_name="Élève", last_name=f"{label}{n:03d}") for n in range(students)]
    )
    Membership.unscoped.bulk_create(
        [
            Membership(school=school, user=user, profile=Profile.STUDENT, division=classes[n % divisions])
            for n, user in enumerate(users)
        ]
    )
    return Populated(school=school, divisions=classes, students=users)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def teacher_of(username: str, populated: list[Populated]) -> User:
    teacher = UserFactory(username=username)
    for place in populated:
        Membership.unscoped.create(school=place.school, user=teacher, profile=Profile.TEACHER)
        subject = SubjectFactory(school=place.school)
        TeachingAssignment.unscoped.bulk_create(
            [
                TeachingAssignment(school=place.school, teacher=teacher, subject=subject, division=division)
                for division in place.divisions
            ]
        )
    return teacher


def parent_of(username: str, children: list[tuple[Populated, User]]) -> User:
    parent = UserFactory(username=username)
    for place, child in children:
        Membership.unscoped.get_or_create(school=place.school, user=parent, profile=Profile.PARENT)
        Guardianship.unscoped.create(school=place.school, student=child, guardian=parent)
    return parent


def measure(client: Client, url: str, budget: int, bound_fixture: Any, small_total: int | None = None) -> int:
    """GET `url`; its application queries must fit `budget`, and a big world's total must not exceed the small one's.

    PostgreSQL's row-level-security settings (`set_config('ent.school_ids', ...)`, two per scope
    entered, none on SQLite) are left out of `budget`, so one bound serves both databases; they
    still count in the comparison of the two sizes.
    """
    if small_total is None:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    else:
        with bound_fixture(small_total) as captured:
            response = client.get(url)
    assert response.status_code == 200
    application = application_queries(captured)
    assert len(application) <= budget, f"{len(application)} queries for {url}, budget {budget}:\n" + "\n".join(
        application
    )
    return len(captured.captured_queries)


def test_parent_home(django_assert_max_num_queries: Any) -> None:
    """1 child in 1 school vs 3 children in 2 schools of 200 students."""
    small_students, small_divisions = SIZES["small"]
    big_students, big_divisions = SIZES["big"]
    small = populate(small_students, small_divisions, "S")
    first, second = populate(big_students, big_divisions, "A"), populate(big_students, big_divisions, "B")
    small_parent = parent_of("parent.petit", [(small, small.students[0])])
    big_parent = parent_of(
        "parent.grand", [(first, first.students[0]), (first, first.students[1]), (second, second.students[0])]
    )
    url = reverse("home")
    small_total = measure(signed_in(small_parent), url, PARENT_HOME_QUERIES, django_assert_max_num_queries)
    client = signed_in(big_parent)
    measure(client, url, PARENT_HOME_QUERIES, django_assert_max_num_queries, small_total)
    page = client.get(url).content.decode()
    for child in (first.students[0], first.students[1], second.students[0]):
        assert child.last_name in page


def test_teacher_home(django_assert_max_num_queries: Any) -> None:
    """A teacher of 1 class in a school of 5 vs of 8 classes in each of 2 schools of 200 students."""
    small_students, small_divisions = SIZES["small"]
    big_students, big_divisions = SIZES["big"]
    small_teacher = teacher_of("prof.petit", [populate(small_students, small_divisions, "S")])
    big_schools = [populate(big_students, big_divisions, "A"), populate(big_students, big_divisions, "B")]
    big_teacher = teacher_of("prof.grand", big_schools)
    url = reverse("home")
    small_total = measure(signed_in(small_teacher), url, TEACHER_HOME_QUERIES, django_assert_max_num_queries)
    client = signed_in(big_teacher)
    measure(client, url, TEACHER_HOME_QUERIES, django_assert_max_num_queries, small_total)
    page = client.get(url).content.decode()
    assert all(place.school.name in page for place in big_schools)


def test_student_school_home(django_assert_max_num_queries: Any) -> None:
    """A student's school home in a school of 5 vs 200 students."""
    small = populate(*SIZES["small"], "S")
    big = populate(*SIZES["big"], "B")
    small_total = measure(
        signed_in(small.students[0]),
        reverse("school_home", kwargs={"uai": small.school.uai}),
        STUDENT_SCHOOL_HOME_QUERIES,
        django_assert_max_num_queries,
    )
    measure(
        signed_in(big.students[0]),
        reverse("school_home", kwargs={"uai": big.school.uai}),
        STUDENT_SCHOOL_HOME_QUERIES,
        django_assert_max_num_queries,
        small_total,
    )
