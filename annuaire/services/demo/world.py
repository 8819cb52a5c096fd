"""The demo world as data: three Paris establishments, their levels and subjects, the named demo
people and the name lists the others are drawn from; and the demo accounts it prints."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from schools.models import School

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
