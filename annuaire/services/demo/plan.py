"""The whole demo world planned in memory, deterministic: people, divisions, memberships, services, families."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from annuaire.logins import login_base
from annuaire.models import Profile
from annuaire.services.demo.world import (
    ADULT_FEMALE_FIRST_NAMES,
    ADULT_MALE_FIRST_NAMES,
    DEMO_EMAIL_DOMAIN,
    DEMO_LYCEE_STUDENT,
    DEMO_LYCEE_STUDENT_SLOT,
    DEMO_PARENT,
    DEMO_SCHOOLS,
    DEMO_SEED,
    DEMO_STUDENT,
    DEMO_STUDENT_SLOT,
    DIVISIONS_PER_LEVEL,
    DIVISIONS_PER_TEACHER,
    FEMALE_FIRST_NAMES,
    HEAD_TEACHER_SUBJECTS,
    LAST_NAMES,
    LEVEL_NAMES,
    LYCEE_TEACHER,
    LYCEE_TEACHER_SLOTS,
    MALE_FIRST_NAMES,
    SHARED_TEACHER,
    SHARED_TEACHER_SLOTS,
    STUDENTS_PER_DIVISION,
    PersonSpec,
    SchoolSpec,
)
from schools.models import School

MOTHER, FATHER = "2", "1"  # AAF relation types (ENTElevePersRelEleve): 1 père, 2 mère
STAFF_BASE, STUDENT_BASE, RELATIVE_BASE = 2_000_000, 3_000_000, 5_000_000
# Profile -> AAF function (ENTPersonFonctions = structure$code$label$discipline$discipline label).
STAFF_FUNCTIONS: dict[str, tuple[str, str]] = {
    Profile.DIRECTION: ("DIR", "DIRECTION"),
    Profile.STAFF: ("EDU", "EDUCATION"),
    Profile.TEACHER: ("ENS", "ENSEIGNEMENT"),
}


@dataclass
class PlannedPerson:
    external_id: str
    first_name: str
    last_name: str
    activated: bool
    email: str = ""
    username: str = ""  # the fixed demo identifier, for the demo accounts only


@dataclass
class _Family:
    last_name: str
    parents: list[tuple[str, str]] = field(default_factory=list)  # (external id, relation type)


@dataclass
class Plan:
    # external id -> person
    people: dict[str, PlannedPerson] = field(default_factory=dict)
    # (school key, code, name, level)
    divisions: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (school key, person, profile) -> (functions, division code)
    memberships: dict[tuple[str, str, str], tuple[list[str], str | None]] = field(default_factory=dict)
    # (school key, teacher, subject code, division code) -> head teacher
    assignments: dict[tuple[str, str, str, str], bool] = field(default_factory=dict)
    # (school key, student, guardian) -> (financial, relation type)
    guardianships: dict[tuple[str, str, str], tuple[bool, str]] = field(default_factory=dict)


class _Planner:
    def __init__(self) -> None:
        self.rng = random.Random(DEMO_SEED)  # noqa: S311  (reproducible names, not secrets)
        self.plan = Plan()
        self.next_id = {STAFF_BASE: 0, STUDENT_BASE: 0, RELATIVE_BASE: 0}
        self.families: dict[str, list[_Family]] = {}

    def person(
        self, base: int, spec: PersonSpec | None, first: str, last: str, *, activated: bool, email: bool = True
    ) -> str:
        if spec is not None:
            known = next((p for p in self.plan.people.values() if p.username == spec.username), None)
            if known is not None:
                return known.external_id
            first, last = spec.first_name, spec.last_name
        external_id = str(base + self.next_id[base])
        self.next_id[base] += 1
        local = spec.username if spec is not None else f"{login_base(first, last)}.{external_id}"
        self.plan.people[external_id] = PlannedPerson(
            external_id=external_id,
            first_name=first,
            last_name=last,
            activated=activated,
            email=f"{local}@{DEMO_EMAIL_DOMAIN}" if email else "",
            username=spec.username if spec is not None else "",
        )
        return external_id

    def member(
        self, school: str, person: str, profile: str, functions: list[str] | None = None, division: str | None = None
    ) -> None:
        self.plan.memberships.setdefault((school, person, profile), (functions or [], division))

    def build(self) -> Plan:
        # The lycée first, so that collège pupils can join a family with an older child there.
        for spec in sorted(DEMO_SCHOOLS, key=lambda s: s.kind != School.Kind.LYCEE):
            self.staff(spec)
            divisions = self.divisions(spec)
            self.teachers(spec, divisions)
            self.students(spec, divisions)
        return self.plan

    def staff(self, spec: SchoolSpec) -> None:
        head = self.person(STAFF_BASE, spec.direction, "", "", activated=True)
        self.member(spec.key, head, Profile.DIRECTION, [spec.direction_function])
        cpe = self.person(STAFF_BASE, spec.cpe, "", "", activated=True)
        self.member(spec.key, cpe, Profile.STAFF, ["CPE"])

    def divisions(self, spec: SchoolSpec) -> list[tuple[str, str]]:
        result = []
        for level in spec.levels:
            for index in range(DIVISIONS_PER_LEVEL):
                letter = "ABCDEFGH"[index]
                code = f"{level}{letter}"
                self.plan.divisions.append((spec.key, code, f"{LEVEL_NAMES[level]} {letter}", level))
                result.append((code, level))
        return result

    def teachers(self, spec: SchoolSpec, divisions: list[tuple[str, str]]) -> None:
        rng = self.rng
        teachers_of: dict[tuple[str, str], str] = {}  # (subject, division) -> teacher
        for subject in spec.subjects:
            taught = [code for code, level in divisions if level in subject.levels]
            for slot in range(math.ceil(len(taught) / DIVISIONS_PER_TEACHER)):
                fixed: PersonSpec | None = None
                if (spec.key, subject.code, slot) in SHARED_TEACHER_SLOTS:
                    fixed = SHARED_TEACHER
                elif (spec.key, subject.code, slot) in LYCEE_TEACHER_SLOTS:
                    fixed = LYCEE_TEACHER
                female = rng.random() < 0.6
                first = rng.choice(ADULT_FEMALE_FIRST_NAMES if female else ADULT_MALE_FIRST_NAMES)
                last = rng.choice(LAST_NAMES)
                activated = rng.random() < 0.9
                teacher = self.person(STAFF_BASE, fixed, first, last, activated=activated or fixed is not None)
                self.member(spec.key, teacher, Profile.TEACHER, [subject.name])
                for code in taught[slot * DIVISIONS_PER_TEACHER : (slot + 1) * DIVISIONS_PER_TEACHER]:
                    teachers_of[(subject.code, code)] = teacher
                    self.plan.assignments[(spec.key, teacher, subject.code, code)] = False
        for index, (code, _level) in enumerate(divisions):
            candidates = [s for s in HEAD_TEACHER_SUBJECTS if (s, code) in teachers_of]
            subject_code = candidates[index % len(candidates)]
            self.plan.assignments[(spec.key, teachers_of[(subject_code, code)], subject_code, code)] = True

    def new_family(self, last_name: str) -> _Family:
        rng = self.rng
        family = _Family(last_name=last_name)
        mother_last = last_name if rng.random() < 0.7 else rng.choice(LAST_NAMES)
        mother = self.person(
            RELATIVE_BASE, None, rng.choice(ADULT_FEMALE_FIRST_NAMES), mother_last, activated=rng.random() < 0.55
        )
        family.parents.append((mother, MOTHER))
        if rng.random() < 0.75:
            father = self.person(
                RELATIVE_BASE, None, rng.choice(ADULT_MALE_FIRST_NAMES), last_name, activated=rng.random() < 0.55
            )
            family.parents.append((father, FATHER))
        if rng.random() < 0.5:
            family.parents.reverse()
        return family

    def students(self, spec: SchoolSpec, divisions: list[tuple[str, str]]) -> None:
        rng = self.rng
        families = self.families.setdefault(spec.key, [])
        # Families of the schools already planned, which may have a younger child here.
        older = [f for key, fams in self.families.items() if key != spec.key for f in fams]
        for code, _level in divisions:
            for slot in range(STUDENTS_PER_DIVISION):
                fixed: PersonSpec | None = None
                family: _Family | None = None
                if (spec.key, code, slot) in (DEMO_STUDENT_SLOT, DEMO_LYCEE_STUDENT_SLOT):
                    fixed = DEMO_STUDENT if (spec.key, code, slot) == DEMO_STUDENT_SLOT else DEMO_LYCEE_STUDENT
                    family = self.demo_family()
                else:
                    draw = rng.random()
                    if draw < 0.12 and older:
                        # A brother or sister in another school: the parents are members of both.
                        family = older.pop(rng.randrange(len(older)))
                    elif draw < 0.18 and families:
                        family = rng.choice(families)
                    else:
                        family = self.new_family(rng.choice(LAST_NAMES))
                female = rng.random() < 0.5
                first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
                activated = rng.random() < 0.7
                student = self.person(
                    STUDENT_BASE, fixed, first, family.last_name, activated=activated or fixed is not None, email=False
                )
                self.member(spec.key, student, Profile.STUDENT, division=code)
                # The demo family keeps exactly its two children.
                if fixed is None and family not in families:
                    families.append(family)
                for index, (parent, relationship) in enumerate(family.parents):
                    self.member(spec.key, parent, Profile.PARENT)
                    self.plan.guardianships[(spec.key, student, parent)] = (index == 0, relationship)

    def demo_family(self) -> _Family:
        if not hasattr(self, "_demo_family"):
            parent = self.person(RELATIVE_BASE, DEMO_PARENT, "", "", activated=True)
            self._demo_family = _Family(last_name=DEMO_PARENT.last_name, parents=[(parent, MOTHER)])
        return self._demo_family


def build_plan() -> Plan:
    return _Planner().build()
