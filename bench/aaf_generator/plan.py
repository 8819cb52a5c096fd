"""The compact plan of the export kept in memory: schools, divisions, groups, students, relatives, staff."""

import datetime
from dataclasses import dataclass, field

from bench.aaf_generator.nomenclatures import Track
from schools.uai import expected_check_letter


@dataclass(slots=True)
class Division:
    code: str
    label: str
    track: Track


@dataclass(slots=True)
class Group:
    code: str
    label: str
    subject: str


@dataclass(slots=True)
class School:
    index: int
    jointure: str
    uai: str
    kind: str  # "CLG" | "LYC"
    name: str
    postal_code: str
    street: str
    divisions: list[Division] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    student_count: int = 0


@dataclass(slots=True)
class Student:
    school: int
    division: int
    groups: list[int]
    sn: str
    given: str
    other_given: list[str]
    title: str
    birth: str
    grant: str
    regime: str
    family: int = -1
    ident: str = ""
    number: str = ""


@dataclass(slots=True)
class Relative:
    ident: str
    sn: str
    birth_name: str
    given: str
    title: str
    relationship: str  # 1 père, 2 mère, 3 tuteur, 4 autre membre de la famille, 6 autre lien
    legal: int  # 1 or 2: legal representative; 0: contact
    financial: str
    contact: str
    phone: str
    home_phone: str
    mail: str
    street: str
    postal_code: str


@dataclass(slots=True)
class Staff:
    ident: str
    school: int  # ENTPersonStructRattach
    sn: str
    given: str
    title: str
    birth: str
    mail: str
    discipline: str = ""  # subject code of a teacher, "" for other staff
    functions: list[tuple[str, tuple[str, str, str, str]]] = field(default_factory=list)  # (structId, function)
    class_subjects: list[tuple[str, str, str]] = field(default_factory=list)  # (structId, division, subject)
    group_subjects: list[tuple[str, str, str]] = field(default_factory=list)
    head_of: list[tuple[str, str]] = field(default_factory=list)  # (structId, division)


@dataclass
class Plan:
    date: datetime.date
    schools: list[School]
    students: list[Student]
    families: list[list[int]]  # family -> relative indices (legal 1, legal 2, contacts)
    relatives: list[Relative]
    staff: list[Staff]
    mefs: dict[str, str]
    subjects: dict[str, str]
    tracks: dict[tuple[str, str], Track] = field(default_factory=dict)  # (structId, division) -> track

    def __post_init__(self) -> None:
        for school in self.schools:
            for division in school.divisions:
                self.tracks[(school.jointure, division.code)] = division.track


def school_uai(index: int) -> str:
    """A Paris UAI (075xxxx) with its check letter."""
    digits = f"075{1000 + index * 7:04d}"
    return digits + expected_check_letter(digits)
