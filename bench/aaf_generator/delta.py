"""The next day's Delta export: newcomers, changes and leavers in mixed order, as the Ministry writes them."""

import datetime
import random
from pathlib import Path

from annuaire.aaf.writer import Attributes
from bench.aaf_generator.names import STREETS, fold
from bench.aaf_generator.plan import Plan
from bench.aaf_generator.planner import Planner, teaching_function
from bench.aaf_generator.records import relative_attributes, staff_attributes, student_attributes
from bench.aaf_generator.shape import (
    DELTA_STYLE,
    PEOPLE_KINDS,
    RELATIVE_BASE,
    SCHOOL_NUMBER_BASE,
    SECOND_LEGAL_SHARE,
    STAFF_BASE,
    STUDENT_BASE,
    open_writer,
    prepare,
)


def _split_touches(count: int) -> tuple[int, int, int]:
    """(modify, add, delete) counts for `count` people touched: half modified, a quarter each way."""
    modify = count // 2
    add = count // 4
    return modify, add, count - modify - add


def write_delta(plan: Plan, rng: random.Random, directory: Path, percent: float) -> dict[str, dict[str, int]]:
    """The next day's Delta export touching `percent` % of the students, relatives and staff.

    The plan is changed in place (it then describes the state after the Delta)."""
    prepare(directory)
    requests: dict[str, list[tuple[str, str, Attributes]]] = {kind: [] for kind in PEOPLE_KINDS}
    planner = Planner(rng, plan.date)
    students, relatives = plan.students, plan.relatives

    # Students and relatives: whole families leave, new families arrive, some records change.
    student_modify, student_add, student_delete = _split_touches(round(len(students) * percent / 100))
    children: dict[int, list[int]] = {}
    for index, student in enumerate(students):
        children.setdefault(student.family, []).append(index)
    deleted_students: set[int] = set()
    deleted_relatives: set[int] = set()
    for family in rng.sample(range(len(plan.families)), len(plan.families)):
        if len(deleted_students) >= student_delete:
            break
        members = children.get(family, [])
        if len(deleted_students) + len(members) > student_delete:
            continue
        deleted_students.update(members)
        deleted_relatives.update(plan.families[family])
    if not plan.families:  # an export without relatives (--relatives 0): students leave alone
        deleted_students.update(rng.sample(range(len(students)), min(student_delete, len(students))))
    for index in sorted(deleted_students):
        requests["Eleve"].append(("delete", students[index].ident, []))
    for index in sorted(deleted_relatives):
        requests["PersRelEleve"].append(("delete", relatives[index].ident, []))

    next_student = STUDENT_BASE + len(students)
    next_relative = RELATIVE_BASE + len(relatives)
    added_relatives = 0
    candidates = [i for i in range(len(students)) if i not in deleted_students]
    for _ in range(student_add if candidates else 0):
        model = students[rng.choice(candidates)]
        school = plan.schools[model.school]
        newcomer = planner.student(school, model.division, school.divisions[model.division].track)
        newcomer.ident = str(next_student)
        newcomer.number = str(SCHOOL_NUMBER_BASE + next_student - STUDENT_BASE)
        next_student += 1
        if relatives or plan.families:
            members = []
            first = planner.relative(str(next_relative), newcomer.sn, 1, None, school)
            legal = [first]
            if rng.random() < SECOND_LEGAL_SHARE:
                legal.append(planner.relative(str(next_relative + 1), newcomer.sn, 2, first, school))
            next_relative += len(legal)
            for relative in legal:
                members.append(len(relatives))
                relatives.append(relative)
                requests["PersRelEleve"].append(("add", relative.ident, relative_attributes(relative)))
                added_relatives += 1
            newcomer.family = len(plan.families)
            plan.families.append(members)
        students.append(newcomer)
        requests["Eleve"].append(("add", newcomer.ident, student_attributes(plan, newcomer)))

    for index in rng.sample(candidates, min(student_modify, len(candidates))):
        student = students[index]
        school = plan.schools[student.school]
        track = school.divisions[student.division].track
        siblings = [i for i, d in enumerate(school.divisions) if d.track is track and i != student.division]
        if siblings:
            student.division = rng.choice(siblings)
        else:
            student.grant = "N" if student.grant == "O" else "O"
        requests["Eleve"].append(("modify", student.ident, student_attributes(plan, student)))

    relative_touch = round(len(relatives) * percent / 100)
    relative_modify = max(relative_touch - len(deleted_relatives) - added_relatives, 1 if relative_touch else 0)
    kept = [i for i in range(len(relatives) - added_relatives) if i not in deleted_relatives]
    for index in rng.sample(kept, min(relative_modify, len(kept))):
        relative = relatives[index]
        relative.phone = planner.phone(mobile=True)
        relative.street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
        requests["PersRelEleve"].append(("modify", relative.ident, relative_attributes(relative)))

    # Staff: teachers leave, arrive, take one more class.
    staff_modify, staff_add, staff_delete = _split_touches(round(len(plan.staff) * percent / 100))
    teachers = [i for i, person in enumerate(plan.staff) if person.discipline]
    leaving = set(rng.sample(teachers, min(staff_delete, len(teachers))))
    for index in sorted(leaving):
        requests["PersEducNat"].append(("delete", plan.staff[index].ident, []))
    staying = [i for i in range(len(plan.staff)) if i not in leaving]
    for index in rng.sample(staying, min(staff_modify, len(staying))):
        person = plan.staff[index]
        school = plan.schools[person.school]
        taught = {code for structure, code, _m in person.class_subjects if structure == school.jointure}
        free = [d.code for d in school.divisions if person.discipline in d.track.subjects and d.code not in taught]
        if free:
            person.class_subjects.append((school.jointure, rng.choice(free), person.discipline))
        else:
            person.mail = f"{fold(person.given)}.{fold(person.sn)}.{person.ident}@ac-paris.fr"
        requests["PersEducNat"].append(("modify", person.ident, staff_attributes(plan, person)))
    for number in range(staff_add if teachers else 0):
        colleague = plan.staff[rng.choice(teachers)]
        school = plan.schools[colleague.school]
        recruit = planner.staff_member(str(STAFF_BASE + len(plan.staff)), school)
        recruit.discipline = colleague.discipline
        recruit.mail = f"{fold(recruit.given)}.{fold(recruit.sn)}.new{number}@ac-paris.fr"
        recruit.functions.append((school.jointure, teaching_function(colleague.discipline)))
        recruit.class_subjects = [slot for slot in colleague.class_subjects if slot[0] == school.jointure][:2]
        plan.staff.append(recruit)
        requests["PersEducNat"].append(("add", recruit.ident, staff_attributes(plan, recruit)))

    delta_date = plan.date + datetime.timedelta(days=1)
    counts: dict[str, dict[str, int]] = {}
    for kind in PEOPLE_KINDS:
        kind_requests = requests[kind]
        if not kind_requests:
            continue
        rng.shuffle(kind_requests)
        out = open_writer(directory, "Delta", delta_date, kind, DELTA_STYLE)
        tally = {"add": 0, "modify": 0, "delete": 0}
        for operation, identifier, attributes in kind_requests:
            tally[operation] += 1
            if operation == "add":
                out.add(identifier, attributes)
            elif operation == "modify":
                out.modify(identifier, attributes)
            else:
                out.delete(identifier)
        out.close()
        counts[kind] = tally
    return counts
