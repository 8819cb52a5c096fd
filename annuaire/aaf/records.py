"""Typed views of AAF records: what the importer needs of each kind, checked field by field.

Each `parse_*` takes a reader `Record` and returns a small immutable named tuple (cheap to keep by
the hundred thousand and to send from the processes that parse the files), or raises
`RecordError` (in French, with the record's file and line) for a missing identifier or an
impossible date. Reference checks between records happen in `annuaire.aaf.check`.
"""

from __future__ import annotations

import datetime
import functools
from typing import NamedTuple

from annuaire.aaf.reader import Record
from annuaire.models import Profile
from schools.models import School


class RecordError(Exception):
    def __init__(self, record: Record, reason: str) -> None:
        super().__init__(f"{record.file}, ligne {record.line} : {reason}")
        self.file = record.file
        self.line = record.line
        self.reason = reason


def _first(record: Record, name: str) -> str:
    values = record.attributes.get(name) or [""]
    return values[0].strip()


def _values(record: Record, name: str) -> list[str]:
    return [value.strip() for value in record.attributes.get(name, []) if value.strip()]


def _identifier(record: Record, *names: str) -> str:
    value = record.identifier.strip() or next((_first(record, name) for name in names if _first(record, name)), "")
    if not value:
        raise RecordError(record, "identifiant absent (<identifier><id>).")
    return value


def _date(record: Record, name: str) -> datetime.date | None:
    raw = _first(record, name)
    if not raw:
        return None
    try:
        return _day(raw)
    except ValueError:
        raise RecordError(record, f"date impossible dans {name} : « {raw} ».") from None


@functools.lru_cache(maxsize=8192)
def _day(raw: str) -> datetime.date:
    # Birth dates repeat across 65,000 students, and strptime is slow.
    return datetime.datetime.strptime(raw, "%d/%m/%Y").date()


def _split(value: str, size: int) -> list[str]:
    parts = value.split("$")
    return parts + [""] * (size - len(parts))


class Structure(NamedTuple):
    external_id: str
    uai: str
    name: str
    kind: str
    academy: str
    divisions: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, str], ...]


class Nomenclature(NamedTuple):
    code: str
    label: str


class RelativeLink(NamedTuple):
    relative_id: str
    relationship: str
    financial: bool
    legal_rank: int  # 1 or 2 for the legal representatives, 0 for a contact
    contact: bool


class Person(NamedTuple):
    external_id: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    email: str
    phone: str
    file: str
    line: int


class Student(NamedTuple):
    person: Person
    structure_id: str
    divisions: tuple[tuple[str, str], ...]  # (structure id, division code)
    groups: tuple[tuple[str, str], ...]
    mef: str
    relatives: tuple[RelativeLink, ...]


class Staff(NamedTuple):
    person: Person
    # structure id -> profiles held there, and the function labels
    profiles: dict[str, set[str]]
    functions: dict[str, list[str]]
    # (structure id, division code, subject code) and (structure id, group code, subject code)
    division_subjects: tuple[tuple[str, str, str], ...]
    group_subjects: tuple[tuple[str, str, str], ...]
    head_teacher_of: tuple[tuple[str, str], ...]


def _kind_of(name: str, declared_type: str) -> str:
    text = f"{name} {declared_type}".upper()
    if "LP " in text or "PROF" in text or text.startswith("LP$") or "LYP" in text:
        return School.Kind.LYCEE_PRO
    if "LYC" in text or "LGT" in text:
        return School.Kind.LYCEE
    return School.Kind.COLLEGE


def _structure_name(raw: str) -> str:
    # Names come as "CLG$CLG INTEGRATION$PARIS": the middle part is the school's own name.
    parts = [part.strip() for part in raw.split("$") if part.strip()]
    return parts[1] if len(parts) >= 2 else (parts[0] if parts else "")


def _code_labels(record: Record, name: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in _values(record, name):
        code, label = _split(value, 2)[:2]
        if code:
            pairs.append((code, label or code))
    return tuple(pairs)


def parse_structure(record: Record) -> Structure:
    external_id = _identifier(record, "ENTStructureJointure")
    uai = (_first(record, "ENTStructureUAI") or _first(record, "ENTEtablissementUAI")).upper()
    if not uai:
        raise RecordError(record, "UAI absent (ENTStructureUAI).")
    raw_name = _first(record, "ENTStructureNomCourant")
    return Structure(
        external_id=external_id,
        uai=uai,
        name=_structure_name(raw_name) or uai,
        kind=_kind_of(raw_name, _first(record, "ENTStructureTypeStruct")),
        academy=_first(record, "ENTServAcAcademie"),
        divisions=_code_labels(record, "ENTStructureClasses"),
        groups=_code_labels(record, "ENTStructureGroupes"),
    )


def parse_nomenclature(record: Record, code_attribute: str, label_attribute: str) -> Nomenclature:
    code = _identifier(record, code_attribute)
    return Nomenclature(code=code, label=_first(record, label_attribute) or code)


def parse_person(record: Record) -> Person:
    return Person(
        external_id=_identifier(record, "ENTPersonJointure"),
        last_name=_first(record, "sn") or _first(record, "ENTPersonNomPatro"),
        first_name=_first(record, "givenName"),
        birth_date=_date(record, "ENTPersonDateNaissance"),
        email=_first(record, "mail"),
        phone=_first(record, "mobile") or _first(record, "telephoneNumber"),
        file=record.file,
        line=record.line,
    )


def _relative_links(record: Record) -> tuple[RelativeLink, ...]:
    links = []
    for value in _values(record, "ENTElevePersRelEleve"):
        relative_id, relationship, financial, legal, contact, _payment = _split(value, 6)[:6]
        if relative_id:
            rank = int(legal) if legal.isdigit() else 0
            links.append(RelativeLink(relative_id, relationship, financial == "1", rank, contact == "1"))
    if links:
        return tuple(links)
    # Older files carry only the list of the legal representatives.
    legal_ids = _values(record, "ENTEleveAutoriteParentale") or _values(record, "ENTEleveParents")
    return tuple(RelativeLink(rid, "", False, min(rank, 2), True) for rank, rid in enumerate(legal_ids, start=1))


def _pairs(record: Record, name: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (structure, code)
        for structure, code in (_split(value, 2)[:2] for value in _values(record, name))
        if structure and code
    )


def parse_student(record: Record) -> Student:
    person = parse_person(record)
    divisions = _pairs(record, "ENTEleveClasses")
    structure_id = _first(record, "ENTPersonStructRattach") or (divisions[0][0] if divisions else "")
    if not structure_id:
        raise RecordError(record, f"l'élève {person.external_id} n'est rattaché à aucun établissement.")
    return Student(
        person=person,
        structure_id=structure_id,
        divisions=divisions,
        groups=_pairs(record, "ENTEleveGroupes"),
        mef=_first(record, "ENTEleveMEF"),
        relatives=_relative_links(record),
    )


# Function codes of ENTPersonFonctions -> profile in the ENT.
FUNCTION_PROFILES = {
    "DIR": Profile.DIRECTION,
    "ENS": Profile.TEACHER,
    "EDU": Profile.STAFF,
    "DOC": Profile.STAFF,
}


def _triples(record: Record, name: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (structure, code, subject)
        for structure, code, subject in (_split(value, 3)[:3] for value in _values(record, name))
        if structure and code
    )


def parse_staff(record: Record) -> Staff:
    person = parse_person(record)
    profiles: dict[str, set[str]] = {}
    functions: dict[str, list[str]] = {}
    for value in _values(record, "ENTPersonFonctions"):
        structure, code, label, _discipline, discipline_label = _split(value, 5)[:5]
        if not structure:
            continue
        profiles.setdefault(structure, set()).add(FUNCTION_PROFILES.get(code.upper(), Profile.STAFF))
        functions.setdefault(structure, []).append(discipline_label or label or code)
    division_subjects = _triples(record, "ENTAuxEnsClassesMatieres")
    group_subjects = _triples(record, "ENTAuxEnsGroupesMatieres")
    for structure, _code, _subject in (*division_subjects, *group_subjects):
        profiles.setdefault(structure, set()).add(Profile.TEACHER)
    attached = _first(record, "ENTPersonStructRattach")
    if attached and attached not in profiles:
        teaches = _first(record, "PersEducNatPresenceDevantEleves").upper() == "O"
        profiles[attached] = {Profile.TEACHER if teaches else Profile.STAFF}
    return Staff(
        person=person,
        profiles=profiles,
        functions=functions,
        division_subjects=division_subjects,
        group_subjects=group_subjects,
        head_teacher_of=_pairs(record, "ENTAuxEnsClassesPrincipal"),
    )
