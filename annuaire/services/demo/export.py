"""The demo plan written as a small complete AAF export, one file per kind, for the real importer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annuaire.aaf.writer import KindWriter
from annuaire.models import Profile
from annuaire.services.demo.plan import STAFF_FUNCTIONS, Plan, PlannedPerson
from annuaire.services.demo.world import (
    DEMO_ACADEMY,
    DEMO_EXPORT_DATE,
    DEMO_EXPORT_PREFIX,
    DEMO_SCHOOLS,
    MEFS,
    SUBJECT_NAMES,
    SchoolSpec,
)
from schools.models import School


def _structure_name(spec: SchoolSpec) -> str:
    prefix = "CLG" if spec.kind == School.Kind.COLLEGE else "LYC"
    return f"{prefix}${spec.name}$PARIS"


def _person_attributes(person: PlannedPerson) -> list[tuple[str, Sequence[str]]]:
    return [
        ("ENTPersonJointure", (person.external_id,)),
        ("ENTPersonNomPatro", (person.last_name,)),
        ("sn", (person.last_name,)),
        ("givenName", (person.first_name,)),
        ("mail", (person.email,) if person.email else ()),
    ]


def write_export(plan: Plan, directory: Path) -> list[Path]:
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
