"""A small world of two schools with every role, for tests that compare school A and school B."""

from __future__ import annotations

from dataclasses import dataclass, field

from annuaire.models import Division, Membership, Profile, Subject, TeachingAssignment, User
from schools.models import School
from tests.factories import (
    DivisionFactory,
    GuardianshipFactory,
    MembershipFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
    UserFactory,
)


@dataclass
class SchoolCast:
    school: School
    division: Division
    other_division: Division
    subject: Subject
    direction: User
    staff: User
    teacher: User
    student: User
    classmate: User
    other_student: User
    parent: User
    assignment: TeachingAssignment
    student_membership: Membership
    users_by_role: dict[str, User] = field(default_factory=dict)


def build_school(label: str, **school_fields: object) -> SchoolCast:
    school = SchoolFactory(name=f"Collège {label}", **school_fields)
    division = DivisionFactory(school=school, code=f"5{label}1", name=f"5e{label}1")
    other_division = DivisionFactory(school=school, code=f"5{label}2", name=f"5e{label}2")
    subject = SubjectFactory(school=school, code=f"MATH{label}", name="Mathématiques")

    def member(profile: str, username: str, **extra: object) -> User:
        user = UserFactory(username=username)
        MembershipFactory(school=school, user=user, profile=profile, **extra)
        return user

    direction = member(Profile.DIRECTION, f"direction.{label.lower()}", functions=["Principal"])
    staff = member(Profile.STAFF, f"cpe.{label.lower()}", functions=["CPE"])
    teacher = member(Profile.TEACHER, f"prof.{label.lower()}")
    student = member(Profile.STUDENT, f"eleve.{label.lower()}", division=division)
    classmate = member(Profile.STUDENT, f"camarade.{label.lower()}", division=division)
    other_student = member(Profile.STUDENT, f"autre.{label.lower()}", division=other_division)
    parent = member(Profile.PARENT, f"parent.{label.lower()}")
    GuardianshipFactory(school=school, student=student, guardian=parent)
    assignment = TeachingAssignmentFactory(school=school, teacher=teacher, subject=subject, division=division)
    cast = SchoolCast(
        school=school,
        division=division,
        other_division=other_division,
        subject=subject,
        direction=direction,
        staff=staff,
        teacher=teacher,
        student=student,
        classmate=classmate,
        other_student=other_student,
        parent=parent,
        assignment=assignment,
        student_membership=Membership.unscoped.get(user=student, school=school),
    )
    cast.users_by_role = {
        "direction": direction,
        "staff": staff,
        "teacher": teacher,
        "student": student,
        "parent": parent,
    }
    return cast


@dataclass
class World:
    a: SchoolCast
    b: SchoolCast
    city_admin: User


def build_world() -> World:
    return World(
        a=build_school("A"), b=build_school("B"), city_admin=UserFactory(username="ville.admin", is_city_admin=True)
    )
