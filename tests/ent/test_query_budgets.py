"""The home pages' query counts do not grow with the data.

Each page is measured on a small and a big school (5 vs 200 students, 1 vs 8 classes) and
for a small and a big family (1 child vs 3 children in 2 schools): the same bound holds for
both. The bounds are the measured counts; a change that adds a query per row breaks them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from annuaire.models import Division, Guardianship, Membership, Profile, TeachingAssignment, User
from schools.models import School
from tests.factories import SchoolFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# Measured. Personal home: session, user, memberships, schools, children (with their school).
PARENT_HOME_QUERIES = 5
TEACHER_HOME_QUERIES = 5
# School home: session, user, school by UAI, memberships, delegations, services, schools of the switcher.
STUDENT_SCHOOL_HOME_QUERIES = 7

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


def teacher_of(populated: list[Populated]) -> User:
    teacher = UserFactory(username="prof.mesure")
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


def parent_of(children: list[tuple[Populated, User]]) -> User:
    parent = UserFactory(username="parent.mesure")
    for place, child in children:
        Membership.unscoped.get_or_create(school=place.school, user=parent, profile=Profile.PARENT)
        Guardianship.unscoped.create(school=place.school, student=child, guardian=parent)
    return parent


@pytest.mark.parametrize("size", SIZES)
def test_parent_home(size: str, django_assert_max_num_queries: object) -> None:
    students, divisions = SIZES[size]
    first = populate(students, divisions, "A")
    if size == "small":
        parent = parent_of([(first, first.students[0])])
    else:
        second = populate(students, divisions, "B")
        parent = parent_of([(first, first.students[0]), (first, first.students[1]), (second, second.students[0])])
    client = signed_in(parent)
    with django_assert_max_num_queries(PARENT_HOME_QUERIES):  # type: ignore[operator]
        response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert first.students[0].last_name in page
    if size == "big":
        assert first.students[1].last_name in page and second.students[0].last_name in page


@pytest.mark.parametrize("size", SIZES)
def test_teacher_home(size: str, django_assert_max_num_queries: object) -> None:
    students, divisions = SIZES[size]
    schools = [populate(students, divisions, "A")]
    if size == "big":
        schools.append(populate(students, divisions, "B"))
    client = signed_in(teacher_of(schools))
    with django_assert_max_num_queries(TEACHER_HOME_QUERIES):  # type: ignore[operator]
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert all(place.school.name in response.content.decode() for place in schools)


@pytest.mark.parametrize("size", SIZES)
def test_student_school_home(size: str, django_assert_max_num_queries: object) -> None:
    students, divisions = SIZES[size]
    place = populate(students, divisions, "A")
    client = signed_in(place.students[0])
    with django_assert_max_num_queries(STUDENT_SCHOOL_HOME_QUERIES):  # type: ignore[operator]
        response = client.get(reverse("school_home", kwargs={"uai": place.school.uai}))
    assert response.status_code == 200
    assert place.school.name in response.content.decode()
