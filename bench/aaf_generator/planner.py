"""Planning the export, deterministic for a seed: schools filled with students, families, staff."""

import datetime
import math
import random

from bench.aaf_generator.names import (
    BOYS,
    COLLEGE_NAMES,
    GIRLS,
    LYCEE_NAMES,
    MEN,
    NON_TEACHING_SHARE,
    STAFF_FUNCTIONS,
    STREETS,
    SURNAMES,
    WOMEN,
    apportion,
    fold,
)
from bench.aaf_generator.nomenclatures import (
    COLLEGE_TRACKS,
    GROUP_SHORT,
    LEVEL_LABELS,
    LYCEE_TRACKS,
    OPTIONS,
    TAUGHT_SUBJECTS,
    Track,
    mef_nomenclature,
    subject_nomenclature,
)
from bench.aaf_generator.plan import Division, Group, Plan, Relative, School, Staff, Student, school_uai
from bench.aaf_generator.shape import (
    COLLEGE_DIVISION_SIZE,
    GROUP_SIZE,
    LYCEE_DIVISION_SIZE,
    MIN_CONTACT_SHARE,
    OUTSIDE_STAFF_PERCENT,
    OUTSIDE_STRUCTURE_BASE,
    RELATIVE_BASE,
    SCHOOL_NUMBER_BASE,
    SECOND_LEGAL_SHARE,
    SHARED_TEACHER_SHARE,
    SIBLING_OTHER_SCHOOL_SHARE,
    SIBLING_SHARE,
    STAFF_BASE,
    STRUCTURE_BASE,
    STUDENT_BASE,
)


class Planner:
    def __init__(self, rng: random.Random, date: datetime.date) -> None:
        self.rng = rng
        self.date = date
        self.year = date.year if date.month >= 8 else date.year - 1  # first year of the school year

    def name_pair(self, girl: bool, adult: bool = False) -> tuple[str, str]:
        pool = (WOMEN if girl else MEN) if adult else (GIRLS if girl else BOYS)
        return self.rng.choice(SURNAMES), self.rng.choice(pool)

    def birth(self, year: int) -> str:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
        return day.strftime("%d/%m/%Y")

    def phone(self, mobile: bool) -> str:
        return ("0" + self.rng.choice("67") if mobile else "01") + f"{self.rng.randrange(10**8):08d}"

    # Schools and divisions
    def schools(self, count: int, students: int) -> list[School]:
        lycees = count // 10 if count >= 10 else (1 if count >= 2 else 0)
        kinds = ["CLG"] * (count - lycees) + ["LYC"] * lycees
        result = []
        for index, kind in enumerate(kinds):
            names = COLLEGE_NAMES if kind == "CLG" else LYCEE_NAMES
            position = index if kind == "CLG" else index - (count - lycees)
            name = names[position % len(names)]
            if position >= len(names):
                name = f"{name} {position // len(names) + 1}"
            arrondissement = index % 20 + 1
            result.append(
                School(
                    index=index,
                    jointure=str(STRUCTURE_BASE + index),
                    uai=school_uai(index),
                    kind=kind,
                    name=name,
                    postal_code=f"750{arrondissement:02d}",
                    street=f"{self.rng.randrange(1, 120)} {self.rng.choice(STREETS)}",
                )
            )
        weights = [(1.0 if school.kind == "CLG" else 1.8) * self.rng.uniform(0.75, 1.25) for school in result]
        for school, size in zip(result, apportion(students, weights), strict=True):
            school.student_count = size
        return result

    def fill_school(self, school: School, students: list[Student]) -> None:
        """Divisions, groups and students of one school (appended to `students`)."""
        tracks = COLLEGE_TRACKS if school.kind == "CLG" else LYCEE_TRACKS
        size = COLLEGE_DIVISION_SIZE if school.kind == "CLG" else LYCEE_DIVISION_SIZE
        by_level: dict[str, list[Student]] = {}
        for track, count in zip(tracks, apportion(school.student_count, [t.weight for t in tracks]), strict=True):
            if count == 0:
                continue
            divisions = max(1, round(count / size))
            first = len(school.divisions)
            for number in range(1, divisions + 1):
                if track.lettered and number <= 26:
                    suffix = chr(ord("A") + number - 1)
                    school.divisions.append(Division(f"{track.code}{suffix}", f"{track.label} {suffix}", track))
                else:
                    school.divisions.append(Division(f"{track.code}{number}", f"{track.label} {number}", track))
            for position in range(count):
                student = self.student(school, first + position % divisions, track)
                students.append(student)
                by_level.setdefault(track.level, []).append(student)
        for level, members in by_level.items():
            for choices in OPTIONS[level]:
                chosen: dict[str, list[Student]] = {subject: [] for subject, _share in choices}
                for student in members:
                    draw = self.rng.random()
                    for subject, share in choices:
                        if draw < share:
                            chosen[subject].append(student)
                            break
                        draw -= share
                for subject, takers in chosen.items():
                    if not takers:
                        continue
                    count = math.ceil(len(takers) / GROUP_SIZE)
                    first = len(school.groups)
                    for number in range(1, count + 1):
                        code = f"{level}{GROUP_SHORT[subject]}{number}"
                        label = f"{LEVEL_LABELS[level]} {TAUGHT_SUBJECTS[subject][0]} {number}"
                        school.groups.append(Group(code, label, subject))
                    for position, student in enumerate(takers):
                        student.groups.append(first + position % count)

    def student(self, school: School, division: int, track: Track) -> Student:
        girl = self.rng.random() < 0.5
        sn, given = self.name_pair(girl)
        others = [self.rng.choice(GIRLS if girl else BOYS) for _ in range(self.rng.choice((0, 0, 1, 1, 2)))]
        return Student(
            school=school.index,
            division=division,
            groups=[],
            sn=sn,
            given=given,
            other_given=others,
            title="Mlle" if girl else "M.",
            birth=self.birth(self.year - track.age),
            grant="O" if self.rng.random() < 0.25 else "N",
            regime=self.rng.choice(("DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT", "EXTERNE LIBRE")),
        )

    # Families and relatives
    def relative(self, ident: str, family_name: str, legal: int, partner: Relative | None, school: School) -> Relative:
        rng = self.rng
        if legal == 1:
            relationship = rng.choices(("2", "1", "3"), (55, 40, 5))[0]
        elif legal == 2:
            relationship = "1" if partner is not None and partner.relationship == "2" else "2"
        else:
            relationship = rng.choice(("4", "4", "6"))
        woman = relationship == "2" or (relationship != "1" and rng.random() < 0.6)
        sn, given = self.name_pair(woman, adult=True)
        birth_name = sn
        if relationship in ("1", "2") and not (woman and rng.random() < 0.25):
            sn = family_name
            if not woman:
                birth_name = sn
        if partner is not None:
            street, postal_code = partner.street, partner.postal_code
        else:
            street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
            postal_code = school.postal_code if rng.random() < 0.8 else f"750{rng.randrange(1, 21):02d}"
        mail = f"{fold(given)}.{fold(sn)}{rng.randrange(100)}@example.org" if rng.random() < 0.7 else ""
        return Relative(
            ident=ident,
            sn=sn,
            birth_name=birth_name,
            given=given,
            title="Mme" if woman else "M.",
            relationship=relationship,
            legal=legal,
            financial="1" if legal == 1 or (legal == 2 and rng.random() < 0.2) else "0",
            contact="1" if legal == 0 or rng.random() < 0.15 else "0",
            phone=self.phone(mobile=True),
            home_phone=self.phone(mobile=False) if rng.random() < 0.5 else "",
            mail=mail,
            street=street,
            postal_code=postal_code,
        )

    def families(
        self, schools: list[School], students: list[Student], relative_count: int, next_ident: int
    ) -> tuple[list[list[int]], list[Relative]]:
        """Group the students (already in id order) into families and create their relatives."""
        rng = self.rng
        if not students or relative_count == 0:
            return [], []
        family_count = min(len(students), relative_count, max(1, round(len(students) * (1 - SIBLING_SHARE))))
        founders = sorted(rng.sample(range(len(students)), family_count))
        founder_set = set(founders)
        by_school: dict[int, list[int]] = {}
        for family, index in enumerate(founders):
            students[index].family = family
            by_school.setdefault(students[index].school, []).append(family)
        for index, student in enumerate(students):
            if index in founder_set:
                continue
            same_school = by_school.get(student.school)
            if same_school and rng.random() >= SIBLING_OTHER_SCHOOL_SHARE:
                student.family = rng.choice(same_school)
            else:
                student.family = rng.randrange(family_count)
            student.sn = students[founders[student.family]].sn
        extra = relative_count - family_count
        reserved = round(extra * MIN_CONTACT_SHARE)
        second = set(rng.sample(range(family_count), min(extra - reserved, round(family_count * SECOND_LEGAL_SHARE))))
        contacts: dict[int, int] = {}
        for _ in range(extra - len(second)):
            family = rng.randrange(family_count)
            contacts[family] = contacts.get(family, 0) + 1
        families: list[list[int]] = []
        relatives: list[Relative] = []
        for family, founder in enumerate(founders):
            student = students[founder]
            school = schools[student.school]
            members: list[int] = []
            first = self.relative(str(next_ident + len(relatives)), student.sn, 1, None, school)
            members.append(len(relatives))
            relatives.append(first)
            if family in second:
                members.append(len(relatives))
                relatives.append(self.relative(str(next_ident + len(relatives)), student.sn, 2, first, school))
            for _ in range(contacts.get(family, 0)):
                members.append(len(relatives))
                relatives.append(self.relative(str(next_ident + len(relatives)), student.sn, 0, None, school))
            families.append(members)
        return families, relatives

    # Staff
    def staff_member(self, ident: str, school: School, woman: bool | None = None) -> Staff:
        woman = self.rng.random() < 0.6 if woman is None else woman
        sn, given = self.name_pair(woman, adult=True)
        given = fold(given).upper().replace("-", " ") if self.rng.random() < 0.5 else given.upper()
        return Staff(
            ident=ident,
            school=school.index,
            sn=sn,
            given=given,
            title="Mme" if woman else "M.",
            birth=self.birth(self.year - self.rng.randrange(24, 64)),
            mail="",
        )

    def staff(self, school_list: list[School], total: int) -> list[Staff]:
        rng = self.rng
        counts = apportion(total, [school.student_count + 20 for school in school_list])
        members: list[Staff] = []
        teachers_by: dict[tuple[int, str], list[Staff]] = {}
        for school, count in zip(school_list, counts, strict=True):
            non_teaching = count if count <= 1 else min(len(STAFF_FUNCTIONS), max(1, round(count * NON_TEACHING_SHARE)))
            for function in STAFF_FUNCTIONS[:non_teaching]:
                person = self.staff_member("", school)
                person.functions.append((school.jointure, function))
                members.append(person)
            slots: dict[str, list[tuple[bool, int]]] = {}  # subject -> (is a group, index)
            for index, division in enumerate(school.divisions):
                for subject in division.track.subjects:
                    slots.setdefault(subject, []).append((False, index))
            for index, group in enumerate(school.groups):
                slots.setdefault(group.subject, []).append((True, index))
            subjects = sorted(slots)
            teacher_counts = apportion(count - non_teaching, [len(slots[subject]) for subject in subjects])
            for subject, teacher_count in zip(subjects, teacher_counts, strict=True):
                teachers = []
                for _ in range(teacher_count):
                    person = self.staff_member("", school)
                    person.discipline = subject
                    person.functions.append((school.jointure, teaching_function(subject)))
                    teachers.append(person)
                    members.append(person)
                teachers_by[(school.index, subject)] = teachers
                for position, (is_group, index) in enumerate(slots[subject]):
                    if not teachers:
                        break
                    teacher = teachers[position * len(teachers) // len(slots[subject])]
                    if is_group:
                        teacher.group_subjects.append((school.jointure, school.groups[index].code, subject))
                    else:
                        teacher.class_subjects.append((school.jointure, school.divisions[index].code, subject))
            self._head_teachers(school, [t for subject in subjects for t in teachers_by[(school.index, subject)]])
        all_teachers = [person for person in members if person.discipline]
        if len(school_list) >= 2 and len(all_teachers) >= 2:
            self._share_teachers(school_list, all_teachers, teachers_by)
        outside = round(total * OUTSIDE_STAFF_PERCENT / 100)
        for number, person in enumerate(rng.sample(all_teachers, min(outside, len(all_teachers)))):
            jointure = str(OUTSIDE_STRUCTURE_BASE + number)
            person.functions.append((jointure, teaching_function(person.discipline)))
            person.class_subjects.append((jointure, "3A", person.discipline))
        rng.shuffle(members)
        mails: dict[str, int] = {}
        for number, person in enumerate(members):
            person.ident = str(STAFF_BASE + number)
            local = f"{fold(person.given)}.{fold(person.sn)}"
            mails[local] = mails.get(local, 0) + 1
            person.mail = f"{local}{mails[local] if mails[local] > 1 else ''}@ac-paris.fr"
        return members

    def _head_teachers(self, school: School, teachers: list[Staff]) -> None:
        heads: dict[int, int] = {}
        for division in school.divisions:
            candidates = [t for t in teachers if any(code == division.code for _s, code, _m in t.class_subjects)]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda t: heads.get(id(t), 0))
            heads[id(chosen)] = heads.get(id(chosen), 0) + 1
            chosen.head_of.append((school.jointure, division.code))

    def _share_teachers(
        self, schools: list[School], teachers: list[Staff], teachers_by: dict[tuple[int, str], list[Staff]]
    ) -> None:
        """Some teachers also teach in a second structure: they take over classes of a colleague there."""
        wanted = max(1, round(len(teachers) * SHARED_TEACHER_SHARE))
        for teacher in self.rng.sample(teachers, min(wanted, len(teachers))):
            others = [s for s in schools if s.index != teacher.school]
            for other in self.rng.sample(others, len(others)):
                colleagues = [c for c in teachers_by.get((other.index, teacher.discipline), []) if c.class_subjects]
                if not colleagues:
                    continue
                donor = max(colleagues, key=lambda c: len(c.class_subjects))
                if len(donor.class_subjects) < 2:
                    continue
                moved = donor.class_subjects[-1]
                del donor.class_subjects[-1]
                donor.head_of = [head for head in donor.head_of if head[1] != moved[1]]
                teacher.class_subjects.append(moved)
                teacher.functions.append((other.jointure, teaching_function(teacher.discipline)))
                break


def teaching_function(subject: str) -> tuple[str, str, str, str]:
    _label, discipline, discipline_label = TAUGHT_SUBJECTS[subject]
    return ("ENS", "ENSEIGNEMENT", discipline, discipline_label)


def make_plan(
    *, schools: int, students: int, relatives: int, staff: int, seed: int, date: datetime.date
) -> tuple[Plan, random.Random]:
    if schools < 1 or schools > 8_000:
        raise ValueError("--schools must be between 1 and 8000 (Paris UAIs 075xxxx).")
    if min(students, relatives, staff) < 0:
        raise ValueError("counts must not be negative.")
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    planner = Planner(rng, date)
    school_list = planner.schools(schools, students)
    student_list: list[Student] = []
    for school in school_list:
        planner.fill_school(school, student_list)
    rng.shuffle(student_list)
    for number, student in enumerate(student_list):
        student.ident = str(STUDENT_BASE + number)
        student.number = str(SCHOOL_NUMBER_BASE + number)
    families, relative_list = planner.families(school_list, student_list, relatives, RELATIVE_BASE)
    staff_list = planner.staff(school_list, staff)
    plan = Plan(
        date=date,
        schools=school_list,
        students=student_list,
        families=families,
        relatives=relative_list,
        staff=staff_list,
        mefs=dict(mef_nomenclature()),
        subjects=dict(subject_nomenclature()),
    )
    return plan, rng
