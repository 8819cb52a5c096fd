"""The demo world: three Paris establishments, their people, classes and teaching services.

`seed_demo_world()` is deterministic (a fixed random seed, fixed name lists, no Faker at
run time) and idempotent. It plans the whole world in memory, writes the schools and people
as a small complete AAF export (`annuaire.aaf.writer`) and imports it with the real importer
(`import_aaf`, origin "demo"), so the demo runs through the rectorat pipeline. Then it writes
only what the directory does not carry: waves, a school's status, address and charter, the
divisions' MEF, the subjects' short labels, the fixed demo identifiers (the importer names
logins `prenom.nom`; the demo accounts are renamed, found by their AAF identifier), the demo
password of the activated accounts, their charter acceptances, and the city admin. A second
run imports nothing new (the import writes 0 rows) and creates nothing.

Later modules add their own demo data with `register_demo_step`: a function that receives
the `DemoWorld` (schools by key, school year, a seeded random generator), writes what is
missing and returns the counts of what it created. The `seed_demo` command imports every
installed app's `demo` module, so a step registers itself by being defined there.
"""

from __future__ import annotations

import datetime
import math
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from annuaire.aaf.importer import import_aaf
from annuaire.aaf.report import WRITE_SUFFIXES
from annuaire.aaf.writer import KindWriter
from annuaire.logins import login_base
from annuaire.models import CharterAcceptance, Profile, Subject, User
from schools.models import School, Wave
from schools.tenancy import cross_school

# One password for every activated demo account (CNIL 2022-100: 12 characters at least).
DEMO_PASSWORD = "ENT-Paris-demo-2026!"  # noqa: S105  (public on purpose: printed and in the README)
DEMO_SEED = 2026
DEMO_SCHOOL_YEAR = 2026
STUDENTS_PER_DIVISION = 25
DIVISIONS_PER_LEVEL = 2
DIVISIONS_PER_TEACHER = 4
DEMO_EMAIL_DOMAIN = "demo.ent-paris.example"
# The demo's AAF export: its académie (the jointure keys' source), name prefix, date (the rentrée).
DEMO_ACADEMY = "PARIS"
DEMO_EXPORT_PREFIX = "DEMO_ENTPARIS"
DEMO_EXPORT_DATE = datetime.date(DEMO_SCHOOL_YEAR, 9, 1)
DEMO_IMPORT_ORIGIN = "demo"

DEMO_CHARTER = (
    "Charte d'usage de l'ENT\n\n"
    "L'ENT est un service de l'établissement et de la Ville de Paris réservé à sa communauté éducative. "
    "Chacun y respecte la loi, les personnes et la vie privée, garde son mot de passe secret et "
    "signale tout usage abusif à l'établissement."
)

# Real MEF codes (BCN nomenclature) and their national labels.
MEFS: dict[str, tuple[str, str]] = {
    "6": ("10010012110", "6EME"),
    "5": ("10110001110", "5EME"),
    "4": ("10210001110", "4EME"),
    "3": ("10310019110", "3EME"),
    "2": ("20010018110", "2NDE GENERALE ET TECHNOLOGIQUE"),
    "1": ("20111010110", "1ERE GENERALE"),
    "T": ("20212010110", "TERMINALE GENERALE"),
}
LEVEL_NAMES = {"6": "6e", "5": "5e", "4": "4e", "3": "3e", "2": "2nde", "1": "1re", "T": "Tle"}
COLLEGE_LEVELS = ("6", "5", "4", "3")
LYCEE_LEVELS = ("2", "1", "T")


# The subjects' national nomenclature (MatiereEducNat): code -> (label, short label).
SUBJECT_NAMES: dict[str, tuple[str, str]] = {
    "020700": ("Français", "FRANC"),
    "061300": ("Mathématiques", "MATHS"),
    "040700": ("Histoire-géographie et EMC", "HIGEO"),
    "030201": ("Anglais LV1", "AGL1"),
    "030602": ("Espagnol LV2", "ESP2"),
    "062900": ("Sciences de la vie et de la Terre", "SVT"),
    "061700": ("Physique-chimie", "PHCHI"),
    "070200": ("Technologie", "TECHN"),
    "080100": ("Arts plastiques", "A-PLA"),
    "080400": ("Éducation musicale", "EDMUS"),
    "100100": ("Éducation physique et sportive", "EPS"),
    "010100": ("Philosophie", "PHILO"),
    "050100": ("Sciences économiques et sociales", "SES"),
}


@dataclass(frozen=True)
class SubjectSpec:
    code: str
    levels: tuple[str, ...]

    @property
    def name(self) -> str:
        return SUBJECT_NAMES[self.code][0]

    @property
    def short_name(self) -> str:
        return SUBJECT_NAMES[self.code][1]


COLLEGE_SUBJECTS = (
    SubjectSpec("020700", COLLEGE_LEVELS),
    SubjectSpec("061300", COLLEGE_LEVELS),
    SubjectSpec("040700", COLLEGE_LEVELS),
    SubjectSpec("030201", COLLEGE_LEVELS),
    SubjectSpec("030602", ("5", "4", "3")),
    SubjectSpec("062900", COLLEGE_LEVELS),
    SubjectSpec("061700", COLLEGE_LEVELS),
    SubjectSpec("070200", COLLEGE_LEVELS),
    SubjectSpec("080100", COLLEGE_LEVELS),
    SubjectSpec("080400", COLLEGE_LEVELS),
    SubjectSpec("100100", COLLEGE_LEVELS),
)
LYCEE_SUBJECTS = (
    SubjectSpec("020700", ("2", "1")),
    SubjectSpec("010100", ("T",)),
    SubjectSpec("061300", LYCEE_LEVELS),
    SubjectSpec("040700", LYCEE_LEVELS),
    SubjectSpec("030201", LYCEE_LEVELS),
    SubjectSpec("030602", LYCEE_LEVELS),
    SubjectSpec("050100", ("2",)),
    SubjectSpec("062900", LYCEE_LEVELS),
    SubjectSpec("061700", LYCEE_LEVELS),
    SubjectSpec("100100", LYCEE_LEVELS),
)
# The head teacher (professeur principal) of each division teaches one of these.
HEAD_TEACHER_SUBJECTS = ("020700", "061300", "040700", "030201", "062900", "061700")


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class SchoolSpec:
    key: str
    jointure: str  # the structure's identifier in the AAF (ENTStructureJointure)
    uai: str
    name: str
    kind: str
    address: str
    postal_code: str
    wave_number: int
    wave_name: str
    direction: PersonSpec
    direction_function: str
    cpe: PersonSpec

    @property
    def levels(self) -> tuple[str, ...]:
        return COLLEGE_LEVELS if self.kind == School.Kind.COLLEGE else LYCEE_LEVELS

    @property
    def subjects(self) -> tuple[SubjectSpec, ...]:
        return COLLEGE_SUBJECTS if self.kind == School.Kind.COLLEGE else LYCEE_SUBJECTS


# Real-format Paris UAIs (7 digits + check letter, see schools.uai).
DEMO_SCHOOLS = (
    SchoolSpec(
        key="voltaire",
        jointure="4751",
        uai="0752536Z",
        name="Collège Voltaire",
        kind=School.Kind.COLLEGE,
        address="101 avenue de la République",
        postal_code="75011",
        wave_number=1,
        wave_name="Vague 1 — collèges pilotes",
        direction=PersonSpec("principal.voltaire", "Isabelle", "Moreau"),
        direction_function="Principal",
        cpe=PersonSpec("cpe.voltaire", "Karim", "Benali"),
    ),
    SchoolSpec(
        key="brassens",
        jointure="4752",
        uai="0752555V",
        name="Collège Georges-Brassens",
        kind=School.Kind.COLLEGE,
        address="4 rue Erik-Satie",
        postal_code="75019",
        wave_number=2,
        wave_name="Vague 2 — collèges",
        direction=PersonSpec("principal.brassens", "Philippe", "Garnier"),
        direction_function="Principal",
        cpe=PersonSpec("cpe.brassens", "Aurélie", "Lemaire"),
    ),
    SchoolSpec(
        key="boucher",
        jointure="4753",
        uai="0750680G",
        name="Lycée Hélène-Boucher",
        kind=School.Kind.LYCEE,
        address="75 cours de Vincennes",
        postal_code="75020",
        wave_number=3,
        wave_name="Vague 3 — lycées municipaux",
        direction=PersonSpec("proviseur.boucher", "Catherine", "Fontaine"),
        direction_function="Proviseur",
        cpe=PersonSpec("cpe.boucher", "Mathieu", "Roussel"),
    ),
)

CITY_ADMIN = PersonSpec("ville.admin", "Nadia", "Lefèvre")
# A mathematics teacher shared by the two collèges.
SHARED_TEACHER = PersonSpec("prof.martin", "Sophie", "Martin")
SHARED_TEACHER_SLOTS = {("voltaire", "061300", 0), ("brassens", "061300", 1)}
LYCEE_TEACHER = PersonSpec("prof.bernard", "Julien", "Bernard")
LYCEE_TEACHER_SLOTS = {("boucher", "020700", 0)}
# A family with a child at the Collège Voltaire and one at the Lycée Hélène-Boucher.
DEMO_STUDENT = PersonSpec("eleve.demo", "Lucas", "Petit")
DEMO_LYCEE_STUDENT = PersonSpec("eleve.lycee", "Emma", "Petit")
DEMO_PARENT = PersonSpec("parent.demo", "Nathalie", "Petit")
DEMO_STUDENT_SLOT = ("voltaire", "6A", 0)
DEMO_LYCEE_STUDENT_SLOT = ("boucher", "2A", 0)

FEMALE_FIRST_NAMES = (
    "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Léa", "Rose", "Anna", "Mila",
    "Inès", "Ambre", "Julia", "Mia", "Léna", "Manon", "Juliette", "Lou", "Zoé", "Camille",
    "Sarah", "Agathe", "Romane", "Eva", "Nina", "Aya", "Yasmine", "Salomé", "Clara", "Margaux",
    "Maëlys", "Lucie", "Adèle", "Victoire", "Fatoumata", "Mariam", "Sofia", "Hawa", "Leïla", "Céleste",
)  # fmt: skip
MALE_FIRST_NAMES = (
    "Gabriel", "Léo", "Raphaël", "Arthur", "Louis", "Jules", "Adam", "Maël", "Lucas", "Hugo",
    "Noah", "Liam", "Gabin", "Sacha", "Paul", "Nathan", "Aaron", "Mohamed", "Ethan", "Tom",
    "Éden", "Théo", "Victor", "Martin", "Nolan", "Timéo", "Axel", "Marius", "Antoine", "Samuel",
    "Youssef", "Ibrahim", "Rayan", "Malo", "Baptiste", "Mamadou", "Elias", "Isaac", "Clément", "Augustin",
)  # fmt: skip
ADULT_FEMALE_FIRST_NAMES = (
    "Nathalie", "Isabelle", "Sandrine", "Céline", "Stéphanie", "Aurélie", "Émilie", "Julie", "Caroline", "Sophie",
    "Virginie", "Delphine", "Laetitia", "Karine", "Hélène", "Anne", "Claire", "Samia", "Fatima", "Nadia",
    "Mélanie", "Elodie", "Valérie", "Sylvie", "Amélie", "Aïcha", "Marion", "Pauline", "Agnès", "Christelle",
)  # fmt: skip
ADULT_MALE_FIRST_NAMES = (
    "Nicolas", "Julien", "Sébastien", "Stéphane", "Christophe", "David", "Olivier", "Thomas", "Frédéric", "Laurent",
    "Jérôme", "Guillaume", "Vincent", "Mathieu", "Cédric", "Franck", "Karim", "Mehdi", "Éric", "Pierre",
    "Alexandre", "Yann", "Fabrice", "Arnaud", "Benoît", "Romain", "Samir", "Moussa", "Hervé", "Grégory",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Benali", "Diallo", "Traoré", "Nguyen", "Haddad", "Cohen", "Da Silva", "Kone", "Mansouri", "Tran",
    "Ferreira", "Bouzid", "Camara", "Pereira", "Chaouchi", "Sylla", "Lopez", "Martinez", "Ndiaye", "Le Gall",
)  # fmt: skip


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    school: str


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    # The rows the directory import wrote, by the importer's counter keys; its run in the history.
    imported: dict[str, int] = field(default_factory=dict)
    import_run_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.imported.values())

    def add(self, counts: dict[str, int]) -> None:
        for name, count in counts.items():
            self.created[name] = self.created.get(name, 0) + count


@dataclass
class DemoWorld:
    """What a demo step receives: the demo schools and a random generator of its own."""

    schools: dict[str, School]
    school_year: int
    rng: random.Random


DemoStep = Callable[[DemoWorld], dict[str, int]]
_demo_steps: list[tuple[int, str, DemoStep]] = []


def register_demo_step(*, name: str, order: int = 100) -> Callable[[DemoStep], DemoStep]:
    """Add a module's own demo data to `seed_demo`; the step creates only what is missing."""

    def decorator(step: DemoStep) -> DemoStep:
        if all(existing != name for _order, existing, _step in _demo_steps):
            _demo_steps.append((order, name, step))
        return step

    return decorator


def demo_steps() -> list[tuple[str, DemoStep]]:
    return [(name, step) for _order, name, step in sorted(_demo_steps, key=lambda item: (item[0], item[1]))]


def demo_accounts() -> list[DemoAccount]:
    """The fixed demo identifiers, printed by the command and listed in the README."""
    accounts = [DemoAccount(CITY_ADMIN.username, "Administration de la Ville", "Tous les établissements")]
    for spec in DEMO_SCHOOLS:
        accounts.append(DemoAccount(spec.direction.username, f"Direction ({spec.direction_function})", spec.name))
        accounts.append(DemoAccount(spec.cpe.username, "Vie scolaire (CPE)", spec.name))
    by_key = {spec.key: spec.name for spec in DEMO_SCHOOLS}
    accounts += [
        DemoAccount(
            SHARED_TEACHER.username, "Enseignante (mathématiques)", f"{by_key['voltaire']} + {by_key['brassens']}"
        ),
        DemoAccount(LYCEE_TEACHER.username, "Enseignant (français)", by_key["boucher"]),
        DemoAccount(DEMO_STUDENT.username, "Élève (6e A)", by_key["voltaire"]),
        DemoAccount(DEMO_LYCEE_STUDENT.username, "Élève (2nde A)", by_key["boucher"]),
        DemoAccount(
            DEMO_PARENT.username, "Responsable légale (2 enfants)", f"{by_key['voltaire']} + {by_key['boucher']}"
        ),
    ]
    return accounts


# --- The plan: the whole world in memory, deterministic -------------------------------------

MOTHER, FATHER = "2", "1"  # AAF relation types (ENTElevePersRelEleve): 1 père, 2 mère
STAFF_BASE, STUDENT_BASE, RELATIVE_BASE = 2_000_000, 3_000_000, 5_000_000
# Profile -> AAF function (ENTPersonFonctions = structure$code$label$discipline$discipline label).
STAFF_FUNCTIONS: dict[str, tuple[str, str]] = {
    Profile.DIRECTION: ("DIR", "DIRECTION"),
    Profile.STAFF: ("EDU", "EDUCATION"),
    Profile.TEACHER: ("ENS", "ENSEIGNEMENT"),
}


@dataclass
class _Person:
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
class _Plan:
    # external id -> person
    people: dict[str, _Person] = field(default_factory=dict)
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
        self.plan = _Plan()
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
        self.plan.people[external_id] = _Person(
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

    def build(self) -> _Plan:
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


def build_plan() -> _Plan:
    return _Planner().build()


# --- The plan as an AAF export ----------------------------------------------------------------


def _structure_name(spec: SchoolSpec) -> str:
    prefix = "CLG" if spec.kind == School.Kind.COLLEGE else "LYC"
    return f"{prefix}${spec.name}$PARIS"


def _person_attributes(person: _Person) -> list[tuple[str, Sequence[str]]]:
    return [
        ("ENTPersonJointure", (person.external_id,)),
        ("ENTPersonNomPatro", (person.last_name,)),
        ("sn", (person.last_name,)),
        ("givenName", (person.first_name,)),
        ("mail", (person.email,) if person.email else ()),
    ]


def write_export(plan: _Plan, directory: Path) -> list[Path]:
    """Write the plan as a complete AAF export (one file per kind) into `directory`."""
    jointure = {spec.key: spec.jointure for spec in DEMO_SCHOOLS}
    paths: list[Path] = []

    def writer(kind: str) -> KindWriter:
        return KindWriter(directory, prefix=DEMO_EXPORT_PREFIX, mode="Complet", date=DEMO_EXPORT_DATE, kind=kind)

    with writer("EtabEducNat") as out:
        for spec in DEMO_SCHOOLS:
            out.add(
                spec.jointure,
                [
                    ("ENTStructureJointure", (spec.jointure,)),
                    ("ENTStructureUAI", (spec.uai,)),
                    ("ENTStructureNomCourant", (_structure_name(spec),)),
                    ("ENTStructureTypeStruct", (_structure_name(spec).split("$")[0],)),
                    ("street", (spec.address,)),
                    ("postalCode", (spec.postal_code,)),
                    ("l", ("PARIS",)),
                    ("ENTServAcAcademie", (DEMO_ACADEMY,)),
                    ("ENTStructureClasses", [f"{c}${n}" for k, c, n, _l in plan.divisions if k == spec.key]),
                    ("ENTStructureGroupes", ()),
                ],
            )
    paths += out.paths
    with writer("MatiereEducNat") as out:
        for code, (name, _short) in SUBJECT_NAMES.items():
            out.add(code, [("ENTMatJointure", (code,)), ("ENTLibelleMatiere", (name,))])
    paths += out.paths
    with writer("MefEducNat") as out:
        for code, label in MEFS.values():
            out.add(code, [("ENTMefJointure", (code,)), ("ENTLibelleMef", (label,))])
    paths += out.paths

    relatives: dict[str, list[tuple[str, str, bool]]] = {}  # student -> (relative, relation, financial)
    for (_key, student, guardian), (financial, relationship) in plan.guardianships.items():
        relatives.setdefault(student, []).append((guardian, relationship, financial))
    with writer("Eleve") as out:
        for (key, student, profile), (_functions, division) in plan.memberships.items():
            if profile != Profile.STUDENT:
                continue
            level = next(level for k, code, _n, level in plan.divisions if k == key and code == division)
            links = relatives.get(student, [])
            out.add(
                student,
                [
                    *_person_attributes(plan.people[student]),
                    ("ENTPersonStructRattach", (jointure[key],)),
                    ("ENTEleveClasses", (f"{jointure[key]}${division}",)),
                    ("ENTEleveGroupes", ()),
                    ("ENTEleveMEF", (MEFS[level][0],)),
                    ("ENTEleveAutoriteParentale", [guardian for guardian, _r, _f in links]),
                    (
                        "ENTElevePersRelEleve",
                        [f"{g}${r}${int(f)}${rank}$1$0" for rank, (g, r, f) in enumerate(links, start=1)],
                    ),
                ],
            )
    paths += out.paths
    with writer("PersRelEleve") as out:
        for guardian in dict.fromkeys(guardian for _k, _s, guardian in plan.guardianships):
            out.add(guardian, _person_attributes(plan.people[guardian]))
    paths += out.paths

    functions: dict[str, list[str]] = {}  # person -> ENTPersonFonctions
    attached: dict[str, str] = {}
    for (key, person, profile), (labels, _division) in plan.memberships.items():
        function = STAFF_FUNCTIONS.get(profile)
        if function is not None:
            code, label = function
            attached.setdefault(person, jointure[key])
            functions.setdefault(person, []).extend(f"{jointure[key]}${code}${label}$${name}" for name in labels)
    classes: dict[str, list[str]] = {}
    heads: dict[str, list[str]] = {}
    for (key, teacher, subject, division), head in plan.assignments.items():
        classes.setdefault(teacher, []).append(f"{jointure[key]}${division}${subject}")
        if head:
            heads.setdefault(teacher, []).append(f"{jointure[key]}${division}")
    with writer("PersEducNat") as out:
        for person, structure in attached.items():
            out.add(
                person,
                [
                    *_person_attributes(plan.people[person]),
                    ("ENTPersonStructRattach", (structure,)),
                    ("ENTPersonFonctions", functions[person]),
                    ("ENTAuxEnsClassesMatieres", classes.get(person, [])),
                    ("ENTAuxEnsGroupesMatieres", ()),
                    ("ENTAuxEnsClassesPrincipal", heads.get(person, [])),
                    ("PersEducNatPresenceDevantEleves", ("O" if person in classes else "N",)),
                ],
            )
    paths += out.paths
    return paths


# --- What the directory does not carry ----------------------------------------------------------


def _complete_schools(schools: dict[str, School]) -> int:
    """Waves, status, address and charter: the city's side of a school, set once."""
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    new_waves = [Wave(number=s.wave_number, name=s.wave_name) for s in DEMO_SCHOOLS if s.wave_number not in waves]
    Wave.objects.bulk_create(new_waves)
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    completed = 0
    for spec in DEMO_SCHOOLS:
        school = schools[spec.key]
        wanted: dict[str, Any] = {}
        if school.status == School.Status.PREPARING:
            wanted["status"] = School.Status.OPEN
        if school.wave_id is None:
            wanted["wave"] = waves[spec.wave_number]
        if not school.address:
            wanted.update(address=spec.address, postal_code=spec.postal_code, city="Paris")
        if not school.charter:
            wanted["charter"] = DEMO_CHARTER
        if wanted:
            for name, value in wanted.items():
                setattr(school, name, value)
            school.save(update_fields=list(wanted))
            completed += 1
    return len(new_waves) + completed


def _complete_subjects(schools: dict[str, School]) -> dict[str, int]:
    """The subjects' short labels, which the directory does not carry."""
    key_of = {school.pk: key for key, school in schools.items()}
    subjects = []
    for subject in Subject.unscoped.filter(school_id__in=key_of, short_name="", code__in=list(SUBJECT_NAMES)):
        subject.short_name = SUBJECT_NAMES[subject.code][1]
        subjects.append(subject)
    Subject.unscoped.bulk_update(subjects, ["short_name"])
    return {"libellés courts des matières": len(subjects)}


def _complete_accounts(plan: _Plan, password: str) -> tuple[dict[str, int], dict[str, User]]:
    """The fixed demo identifiers, the activated accounts and the city admin (not in the AAF)."""
    users = {
        user.external_id: user
        for user in User.objects.filter(external_source=DEMO_ACADEMY, external_id__in=list(plan.people))
    }
    renamed = [
        user
        for external_id, user in users.items()
        if plan.people[external_id].username and user.username != plan.people[external_id].username
    ]
    for user in renamed:
        user.username = plan.people[user.external_id].username
    User.objects.bulk_update(renamed, ["username"])
    to_activate = [user for key, user in users.items() if plan.people[key].activated and user.activated_at is None]
    city_admin_missing = not User.objects.filter(username=CITY_ADMIN.username).exists()
    # One hash for every activated account: hashing each of them would take minutes.
    password_hash = make_password(password) if to_activate or city_admin_missing else ""
    now = timezone.now()
    for user in to_activate:
        user.password, user.activated_at = password_hash, now
    User.objects.bulk_update(to_activate, ["password", "activated_at"], batch_size=500)
    if city_admin_missing:
        User.objects.create(
            username=CITY_ADMIN.username,
            first_name=CITY_ADMIN.first_name,
            last_name=CITY_ADMIN.last_name,
            email=f"{CITY_ADMIN.username}@{DEMO_EMAIL_DOMAIN}",
            is_city_admin=True,
            password=password_hash,
            activated_at=now,
        )
    counts = {
        "identifiants de démonstration": len(renamed),
        "comptes activés": len(to_activate),
        "administration de la Ville": int(city_admin_missing),
    }
    return counts, users


def _accept_charters(plan: _Plan, schools: dict[str, School], users: dict[str, User]) -> int:
    """Activated accounts have accepted the charter of each of their schools."""
    have = set(
        CharterAcceptance.unscoped.filter(school_id__in=[s.pk for s in schools.values()]).values_list(
            "school_id", "user_id"
        )
    )
    pairs = {
        (schools[key].pk, users[person].pk)
        for (key, person, _profile) in plan.memberships
        if plan.people[person].activated and person in users
    }
    rows = [CharterAcceptance(school_id=s, user_id=u) for s, u in sorted(pairs - have)]
    CharterAcceptance.unscoped.bulk_create(rows, batch_size=500)
    return len(rows)


class DemoImportError(Exception):
    """The demo's own AAF export was refused by the importer (a bug of the demo)."""


def seed_demo_world(*, password: str = DEMO_PASSWORD, run_steps: bool = True) -> DemoReport:
    """Import the demo's AAF export, complete what the directory does not carry, then run each
    module's demo step; returns what was written."""
    plan = build_plan()
    report = DemoReport(accounts=demo_accounts())
    with transaction.atomic(), cross_school(), tempfile.TemporaryDirectory(prefix="ent-demo-aaf-") as folder:
        write_export(plan, Path(folder))
        imported = import_aaf(paths=[folder], origin=DEMO_IMPORT_ORIGIN)
        if imported.refused:
            raise DemoImportError("\n".join(imported.errors))
        report.imported = {key: n for key, n in imported.totals.items() if key.endswith(WRITE_SUFFIXES) and n}
        report.import_run_id = imported.run_id
        by_uai = School.objects.in_bulk([s.uai for s in DEMO_SCHOOLS], field_name="uai")
        schools = {spec.key: by_uai[spec.uai] for spec in DEMO_SCHOOLS}
        report.add({"vagues et fiches d'établissement": _complete_schools(schools)})
        report.add(_complete_subjects(schools))
        counts, users = _complete_accounts(plan, password)
        report.add(counts)
        report.add({"chartes acceptées": _accept_charters(plan, schools, users)})
    if run_steps:
        for name, step in demo_steps():
            rng = random.Random(f"{DEMO_SEED}-{name}")  # noqa: S311  (reproducible data, not secrets)
            world = DemoWorld(schools=schools, school_year=DEMO_SCHOOL_YEAR, rng=rng)
            with transaction.atomic():
                report.add(step(world))
    return report
