"""The demo world: three Paris establishments, their people, classes and teaching services.

`seed_demo_world()` is deterministic (a fixed random seed, fixed name lists, no Faker at
run time) and idempotent: it plans the whole world in memory, then writes in bulk only the
rows that are missing, keyed by their natural keys (UAI, identifier, division code...). A
second run finds everything in place and creates nothing.

Later modules add their own demo data with `register_demo_step`: a function that receives
the `DemoWorld` (schools by key, school year, a seeded random generator), writes what is
missing and returns the counts of what it created. The `seed_demo` command imports every
installed app's `demo` module, so a step registers itself by being defined there.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from annuaire.logins import allocate_login, login_base
from annuaire.models import (
    CharterAcceptance,
    Division,
    Guardianship,
    Mef,
    Membership,
    Profile,
    Subject,
    TeachingAssignment,
    User,
)
from schools.models import School, Wave
from schools.tenancy import cross_school

M = TypeVar("M", bound=Model)

# One password for every activated demo account (CNIL 2022-100: 12 characters at least).
DEMO_PASSWORD = "ENT-Paris-demo-2026!"  # noqa: S105  (public on purpose: printed and in the README)
DEMO_SEED = 2026
DEMO_SCHOOL_YEAR = 2026
STUDENTS_PER_DIVISION = 25
DIVISIONS_PER_LEVEL = 2
DIVISIONS_PER_TEACHER = 4
DEMO_EMAIL_DOMAIN = "demo.ent-paris.example"

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


@dataclass(frozen=True)
class SubjectSpec:
    code: str
    name: str
    short_name: str
    levels: tuple[str, ...]


COLLEGE_SUBJECTS = (
    SubjectSpec("020700", "Français", "FRANC", COLLEGE_LEVELS),
    SubjectSpec("061300", "Mathématiques", "MATHS", COLLEGE_LEVELS),
    SubjectSpec("040700", "Histoire-géographie et EMC", "HIGEO", COLLEGE_LEVELS),
    SubjectSpec("030201", "Anglais LV1", "AGL1", COLLEGE_LEVELS),
    SubjectSpec("030602", "Espagnol LV2", "ESP2", ("5", "4", "3")),
    SubjectSpec("062900", "Sciences de la vie et de la Terre", "SVT", COLLEGE_LEVELS),
    SubjectSpec("061700", "Physique-chimie", "PHCHI", COLLEGE_LEVELS),
    SubjectSpec("070200", "Technologie", "TECHN", COLLEGE_LEVELS),
    SubjectSpec("080100", "Arts plastiques", "A-PLA", COLLEGE_LEVELS),
    SubjectSpec("080400", "Éducation musicale", "EDMUS", COLLEGE_LEVELS),
    SubjectSpec("100100", "Éducation physique et sportive", "EPS", COLLEGE_LEVELS),
)
LYCEE_SUBJECTS = (
    SubjectSpec("020700", "Français", "FRANC", ("2", "1")),
    SubjectSpec("010100", "Philosophie", "PHILO", ("T",)),
    SubjectSpec("061300", "Mathématiques", "MATHS", LYCEE_LEVELS),
    SubjectSpec("040700", "Histoire-géographie", "HIGEO", LYCEE_LEVELS),
    SubjectSpec("030201", "Anglais LVA", "AGL1", LYCEE_LEVELS),
    SubjectSpec("030602", "Espagnol LVB", "ESP2", LYCEE_LEVELS),
    SubjectSpec("050100", "Sciences économiques et sociales", "SES", ("2",)),
    SubjectSpec("062900", "Sciences de la vie et de la Terre", "SVT", LYCEE_LEVELS),
    SubjectSpec("061700", "Physique-chimie", "PHCHI", LYCEE_LEVELS),
    SubjectSpec("100100", "Éducation physique et sportive", "EPS", LYCEE_LEVELS),
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

    @property
    def changed(self) -> bool:
        return any(self.created.values())

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


@dataclass
class _Person:
    username: str
    first_name: str
    last_name: str
    activated: bool
    is_city_admin: bool = False
    email: str = ""


@dataclass
class _Family:
    last_name: str
    parents: list[tuple[str, str]] = field(default_factory=list)  # (username, relationship)


@dataclass
class _Plan:
    people: dict[str, _Person] = field(default_factory=dict)
    # (school key, code, name, level)
    divisions: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (school key, username, profile, functions, division code)
    memberships: dict[tuple[str, str, str], tuple[list[str], str | None]] = field(default_factory=dict)
    # (school key, teacher, subject code, division code) -> head teacher
    assignments: dict[tuple[str, str, str, str], bool] = field(default_factory=dict)
    # (school key, student, guardian) -> (financial, relationship)
    guardianships: dict[tuple[str, str, str], tuple[bool, str]] = field(default_factory=dict)


class _Planner:
    def __init__(self) -> None:
        self.rng = random.Random(DEMO_SEED)  # noqa: S311  (reproducible names, not secrets)
        self.plan = _Plan()
        self.used_usernames = {account.username for account in demo_accounts()}
        self.families: dict[str, list[_Family]] = {}

    def person(self, spec: PersonSpec | None, first: str, last: str, *, activated: bool, email: bool = True) -> str:
        if spec is not None:
            username, first, last = spec.username, spec.first_name, spec.last_name
        else:
            username = allocate_login(login_base(first, last), self.used_usernames)
        if username not in self.plan.people:
            self.plan.people[username] = _Person(
                username=username,
                first_name=first,
                last_name=last,
                activated=activated,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}" if email else "",
            )
        return username

    def member(
        self, school: str, username: str, profile: str, functions: list[str] | None = None, division: str | None = None
    ) -> None:
        self.plan.memberships.setdefault((school, username, profile), (functions or [], division))

    def build(self) -> _Plan:
        self.plan.people[CITY_ADMIN.username] = _Person(
            CITY_ADMIN.username,
            CITY_ADMIN.first_name,
            CITY_ADMIN.last_name,
            True,
            True,
            f"ville.admin@{DEMO_EMAIL_DOMAIN}",
        )
        # The lycée first, so that collège pupils can join a family with an older child there.
        for spec in sorted(DEMO_SCHOOLS, key=lambda s: s.kind != School.Kind.LYCEE):
            self.staff(spec)
            divisions = self.divisions(spec)
            self.teachers(spec, divisions)
            self.students(spec, divisions)
        return self.plan

    def staff(self, spec: SchoolSpec) -> None:
        head = self.person(spec.direction, "", "", activated=True)
        self.member(spec.key, head, Profile.DIRECTION, [spec.direction_function])
        cpe = self.person(spec.cpe, "", "", activated=True)
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
                teacher = self.person(fixed, first, last, activated=activated or fixed is not None)
                self.member(spec.key, teacher, Profile.TEACHER)
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
        mother = self.person(None, rng.choice(ADULT_FEMALE_FIRST_NAMES), mother_last, activated=rng.random() < 0.55)
        family.parents.append((mother, "Mère"))
        if rng.random() < 0.75:
            father = self.person(None, rng.choice(ADULT_MALE_FIRST_NAMES), last_name, activated=rng.random() < 0.55)
            family.parents.append((father, "Père"))
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
                    fixed, first, family.last_name, activated=activated or fixed is not None, email=False
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
            parent = self.person(DEMO_PARENT, "", "", activated=True)
            self._demo_family = _Family(last_name=DEMO_PARENT.last_name, parents=[(parent, "Mère")])
        return self._demo_family


def build_plan() -> _Plan:
    return _Planner().build()


# --- Writing: only what is missing, in bulk -----------------------------------------------------


def _create_missing(model: type[M], rows: Iterable[M], existing: set[Any], key: Callable[[M], object]) -> int:
    missing = [row for row in rows if key(row) not in existing]
    manager = getattr(model, "unscoped", model._default_manager)
    manager.bulk_create(missing, batch_size=500)
    return len(missing)


def _write_schools(report: DemoReport) -> dict[str, School]:
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    new_waves = [Wave(number=s.wave_number, name=s.wave_name) for s in DEMO_SCHOOLS if s.wave_number not in waves]
    Wave.objects.bulk_create(new_waves)
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    existing = set(School.objects.filter(uai__in=[s.uai for s in DEMO_SCHOOLS]).values_list("uai", flat=True))
    new_schools = [
        School(
            uai=s.uai,
            name=s.name,
            kind=s.kind,
            address=s.address,
            postal_code=s.postal_code,
            city="Paris",
            status=School.Status.OPEN,
            wave=waves[s.wave_number],
            charter=DEMO_CHARTER,
        )
        for s in DEMO_SCHOOLS
        if s.uai not in existing
    ]
    School.objects.bulk_create(new_schools)
    report.add({"vagues": len(new_waves), "établissements": len(new_schools)})
    by_uai = {school.uai: school for school in School.objects.filter(uai__in=[s.uai for s in DEMO_SCHOOLS])}
    return {s.key: by_uai[s.uai] for s in DEMO_SCHOOLS}


def _write_people(plan: _Plan, password: str, report: DemoReport) -> dict[str, User]:
    usernames = list(plan.people)
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    missing = [p for p in plan.people.values() if p.username not in existing]
    # One hash for every activated account: hashing each of them would take minutes.
    password_hash = make_password(password) if missing else ""
    unusable = make_password(None)
    now = timezone.now()
    new_users = [
        User(
            username=p.username,
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            is_city_admin=p.is_city_admin,
            password=password_hash if p.activated else unusable,
            activated_at=now if p.activated else None,
        )
        for p in missing
    ]
    User.objects.bulk_create(new_users, batch_size=500)
    report.add({"comptes": len(new_users)})
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


def _write_directory(plan: _Plan, schools: dict[str, School], users: dict[str, User], report: DemoReport) -> None:
    ids = [school.pk for school in schools.values()]
    counts: dict[str, int] = {}
    have: set[Any]  # natural keys already in the database, per table
    rows: list[Any]  # the planned rows of a table

    mef_codes = {code for code, _label in MEFS.values()}
    have = set(Mef.objects.filter(code__in=mef_codes).values_list("code", flat=True))
    counts["niveaux (MEF)"] = _create_missing(
        Mef, [Mef(code=code, label=label) for code, label in MEFS.values()], have, lambda m: m.code
    )
    mefs = {mef.code: mef for mef in Mef.objects.filter(code__in=mef_codes)}

    have = set(
        Division.unscoped.filter(school_id__in=ids, school_year=DEMO_SCHOOL_YEAR).values_list("school_id", "code")
    )
    rows = [
        Division(school=schools[key], code=code, name=name, mef=mefs[MEFS[level][0]], school_year=DEMO_SCHOOL_YEAR)
        for key, code, name, level in plan.divisions
    ]
    counts["divisions"] = _create_missing(Division, rows, have, lambda d: (d.school_id, d.code))
    divisions = {
        (d.school_id, d.code): d for d in Division.unscoped.filter(school_id__in=ids, school_year=DEMO_SCHOOL_YEAR)
    }

    have = set(Subject.unscoped.filter(school_id__in=ids).values_list("school_id", "code"))
    spec_by_key = {spec.key: spec for spec in DEMO_SCHOOLS}
    rows = [
        Subject(school=schools[key], code=s.code, name=s.name, short_name=s.short_name)
        for key in schools
        for s in spec_by_key[key].subjects
    ]
    counts["matières"] = _create_missing(Subject, rows, have, lambda s: (s.school_id, s.code))
    subjects = {(s.school_id, s.code): s for s in Subject.unscoped.filter(school_id__in=ids)}

    have = set(Membership.unscoped.filter(school_id__in=ids).values_list("school_id", "user_id", "profile"))
    rows = [
        Membership(
            school=schools[key],
            user=users[username],
            profile=profile,
            functions=functions,
            division=divisions[(schools[key].pk, division)] if division else None,
        )
        for (key, username, profile), (functions, division) in plan.memberships.items()
    ]
    counts["appartenances"] = _create_missing(Membership, rows, have, lambda m: (m.school_id, m.user_id, m.profile))

    have = set(
        TeachingAssignment.unscoped.filter(school_id__in=ids).values_list(
            "school_id", "teacher_id", "subject_id", "division_id"
        )
    )
    rows = []
    for (key, teacher, subject_code, division), head in plan.assignments.items():
        school = schools[key]
        rows.append(
            TeachingAssignment(
                school=school,
                teacher=users[teacher],
                subject=subjects[(school.pk, subject_code)],
                division=divisions[(school.pk, division)],
                is_head_teacher=head,
            )
        )
    counts["services d'enseignement"] = _create_missing(
        TeachingAssignment, rows, have, lambda a: (a.school_id, a.teacher_id, a.subject_id, a.division_id)
    )

    have = set(Guardianship.unscoped.filter(school_id__in=ids).values_list("school_id", "student_id", "guardian_id"))
    rows = [
        Guardianship(
            school=schools[key],
            student=users[student],
            guardian=users[guardian],
            legal_representative=True,
            financial=financial,
            contact=True,
            relationship=relationship,
        )
        for (key, student, guardian), (financial, relationship) in plan.guardianships.items()
    ]
    counts["responsabilités légales"] = _create_missing(
        Guardianship, rows, have, lambda g: (g.school_id, g.student_id, g.guardian_id)
    )

    # Activated accounts have accepted the charter of each of their schools.
    have = set(CharterAcceptance.unscoped.filter(school_id__in=ids).values_list("school_id", "user_id"))
    pairs = {
        (schools[key].pk, users[username].pk)
        for (key, username, _profile) in plan.memberships
        if plan.people[username].activated
    }
    rows = [CharterAcceptance(school_id=school_id, user_id=user_id) for school_id, user_id in sorted(pairs)]
    counts["chartes acceptées"] = _create_missing(CharterAcceptance, rows, have, lambda c: (c.school_id, c.user_id))
    report.add(counts)


def seed_demo_world(*, password: str = DEMO_PASSWORD, run_steps: bool = True) -> DemoReport:
    """Create whatever is missing of the demo world, then each module's demo step; returns what was created."""
    plan = build_plan()
    report = DemoReport(accounts=demo_accounts())
    with transaction.atomic(), cross_school():
        schools = _write_schools(report)
        users = _write_people(plan, password, report)
        _write_directory(plan, schools, users, report)
    if run_steps:
        for name, step in demo_steps():
            rng = random.Random(f"{DEMO_SEED}-{name}")  # noqa: S311  (reproducible data, not secrets)
            world = DemoWorld(schools=schools, school_year=DEMO_SCHOOL_YEAR, rng=rng)
            with transaction.atomic():
                report.add(step(world))
    return report
