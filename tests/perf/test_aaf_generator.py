"""The benchmark's AAF generator writes a small export that is well-formed, consistent and reproducible.

The export is read back with lxml (independently of the importer), and with the importer's own reader
once it exists, so the benchmark measures files the importer takes as they are.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from bench.aaf_generator import ExportSummary, generate
from bench.aaf_generator.names import apportion
from bench.aaf_generator.shape import KINDS, OUTSIDE_STRUCTURE_BASE, PART_SIZE
from schools.uai import has_valid_check_letter

SMALL = {"schools": 2, "students": 100, "relatives": 150, "staff": 20, "seed": 1, "delta_percent": 10.0}
NAME = re.compile(r"^FULL_ENTTSSERVICES_(Complet|Delta)_(\d{8})_([A-Za-z]+)_(\d{4})\.xml$")
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Request:
    operation: str  # addRequest | modifyRequest | deleteRequest
    category: str
    identifier: str
    attributes: dict[str, list[str]] = field(default_factory=dict)


def parse(path: Path) -> list[Request]:
    root = etree.parse(str(path), SAFE_PARSER).getroot()
    assert root.tag == "ficAlimMENESR"
    requests = []
    for element in root:
        if not isinstance(element.tag, str):  # the versionAF comment
            continue
        category = element.findtext("operationalAttributes/attr/value")
        request = Request(element.tag, category, element.findtext("identifier/id"))
        if element.tag == "addRequest":
            items = [(attr.get("name"), attr) for attr in element.iterfind("attributes/attr")]
        elif element.tag == "modifyRequest":
            items = []
            for modification in element.iterfind("modifications/modification"):
                assert modification.get("operation") == "replace"
                items.append((modification.get("name"), modification))
        else:
            assert element.tag == "deleteRequest", element.tag
            assert element.find("attributes") is None
            items = []
        for name, holder in items:
            request.attributes[name] = [value.text for value in holder.iterfind("value") if value.text]
        requests.append(request)
    return requests


def read_export(directory: Path) -> dict[str, list[Request]]:
    by_kind: dict[str, list[Request]] = {}
    for path in sorted(directory.iterdir()):
        match = NAME.match(path.name)
        assert match, path.name
        by_kind.setdefault(match[3], []).extend(parse(path))
    return by_kind


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> ExportSummary:
    return generate(tmp_path_factory.mktemp("aaf"), **SMALL)


@pytest.fixture(scope="module")
def complete(export: ExportSummary) -> dict[str, list[Request]]:
    return read_export(export.complete_dir)


def first(request: Request, name: str) -> str:
    values = request.attributes.get(name, [])
    return values[0] if values else ""


def test_file_names_and_counts(export: ExportSummary, complete: dict[str, list[Request]]) -> None:
    names = sorted(path.name for path in export.complete_dir.iterdir())
    assert names == [
        f"FULL_ENTTSSERVICES_Complet_20250915_{kind}_0000.xml"
        for kind in sorted(("Eleve", "EtabEducNat", "MatiereEducNat", "MefEducNat", "PersEducNat", "PersRelEleve"))
    ]
    counts = {kind: len(requests) for kind, requests in complete.items()}
    assert counts == {
        "EtabEducNat": 2,
        "MatiereEducNat": 300,
        "MefEducNat": 300,
        "Eleve": 100,
        "PersRelEleve": 150,
        "PersEducNat": 20,
    }
    assert counts == export.counts
    assert all(r.operation == "addRequest" for requests in complete.values() for r in requests)
    categories = {kind: {r.category for r in requests} for kind, requests in complete.items()}
    assert categories["MatiereEducNat"] == {"MatEducNat"}
    assert categories["Eleve"] == {"Eleve"}
    for requests in complete.values():  # <id> equals the record's jointure
        identifiers = [r.identifier for r in requests]
        assert len(set(identifiers)) == len(identifiers)
        jointures = [
            first(r, "ENTPersonJointure") or first(r, "ENTStructureJointure") or first(r, "ENTMatJointure")
            for r in requests
        ]
        assert [j or r.identifier for j, r in zip(jointures, requests, strict=True)] == identifiers


def test_files_have_the_ministry_shape(export: ExportSummary) -> None:
    structures = export.files["EtabEducNat"][0].read_bytes()
    assert structures.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\r\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\r\n'
        b'<ficAlimMENESR>\r\n<!-- versionAF="AAF-VE1301" -->\r\n'
    )
    students = export.files["Eleve"][0].read_bytes()
    assert students.startswith(b'<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n')
    assert b"\r" not in students
    assert b"<value/>" in students
    assert students.rstrip().endswith(b"</ficAlimMENESR>")


def test_structures_are_paris_schools(complete: dict[str, list[Request]]) -> None:
    structures = complete["EtabEducNat"]
    uais = [first(s, "ENTStructureUAI") for s in structures]
    assert all(uai.startswith("075") and has_valid_check_letter(uai) for uai in uais), uais
    assert [first(s, "ENTStructureNomCourant").split("$")[0] for s in structures] == ["CLG", "LYC"]
    assert re.fullmatch(r"CLG\$CLG [A-Z' -]+\$PARIS", first(structures[0], "ENTStructureNomCourant"))
    for structure in structures:
        assert all(re.fullmatch(r"[0-9A-Z]+\$.+", value) for value in structure.attributes["ENTStructureClasses"])
        assert structure.attributes["ENTStructureGroupes"]
    assert {code.split("$")[0] for code in structures[0].attributes["ENTStructureClasses"]} >= {"6A", "5A", "4A", "3A"}


def test_students_reference_existing_structures_classes_groups_mefs_and_relatives(
    complete: dict[str, list[Request]],
) -> None:
    classes = {
        (s.identifier, value.split("$")[0])
        for s in complete["EtabEducNat"]
        for value in s.attributes["ENTStructureClasses"]
    }
    groups = {
        (s.identifier, value.split("$")[0])
        for s in complete["EtabEducNat"]
        for value in s.attributes["ENTStructureGroupes"]
    }
    mefs = {m.identifier for m in complete["MefEducNat"]}
    subjects = {m.identifier for m in complete["MatiereEducNat"]}
    relatives = {r.identifier for r in complete["PersRelEleve"]}
    referenced: Counter[str] = Counter()
    schools_of_relative: dict[str, set[str]] = {}
    for student in complete["Eleve"]:
        structure = first(student, "ENTPersonStructRattach")
        (division,) = student.attributes["ENTEleveClasses"]
        assert tuple(division.split("$")) in classes and division.startswith(f"{structure}$")
        for group in student.attributes.get("ENTEleveGroupes", []):
            assert tuple(group.split("$")) in groups and group.startswith(f"{structure}$")
        assert first(student, "ENTEleveMEF") in mefs
        assert set(student.attributes["ENTEleveCodeEnseignements"]) <= subjects
        assert re.fullmatch(r"\d\d/\d\d/(19|20)\d\d", first(student, "ENTPersonDateNaissance"))
        links = [value.split("$") for value in student.attributes["ENTElevePersRelEleve"]]
        assert all(len(link) == 6 for link in links)
        legal = [link for link in links if link[3] in ("1", "2")]
        assert [link[3] for link in legal] in (["1"], ["1", "2"])
        assert student.attributes["ENTEleveAutoriteParentale"] == [link[0] for link in legal]
        for link in links:
            assert link[0] in relatives
            referenced[link[0]] += 1
            schools_of_relative.setdefault(link[0], set()).add(structure)
    assert set(referenced) == relatives  # every relative is someone's relative
    contacts = [v for s in complete["Eleve"] for v in s.attributes["ENTElevePersRelEleve"] if v.split("$")[3] == "0"]
    assert contacts
    assert any(count > 1 for count in referenced.values())  # siblings share their relatives
    assert any(len(schools) > 1 for schools in schools_of_relative.values())  # children in two schools


def test_staff_functions_and_teaching_reference_the_export(complete: dict[str, list[Request]]) -> None:
    structures = {s.identifier for s in complete["EtabEducNat"]}
    classes = {
        (s.identifier, value.split("$")[0])
        for s in complete["EtabEducNat"]
        for value in s.attributes["ENTStructureClasses"]
    }
    groups = {
        (s.identifier, value.split("$")[0])
        for s in complete["EtabEducNat"]
        for value in s.attributes["ENTStructureGroupes"]
    }
    subjects = {m.identifier for m in complete["MatiereEducNat"]}
    codes: Counter[str] = Counter()
    two_structures = 0
    for person in complete["PersEducNat"]:
        assert first(person, "ENTPersonStructRattach") in structures
        functions = [value.split("$") for value in person.attributes["ENTPersonFonctions"]]
        assert functions and all(len(function) == 5 for function in functions)
        inside = [f for f in functions if f[0] in structures]
        assert all(int(f[0]) >= OUTSIDE_STRUCTURE_BASE for f in functions if f[0] not in structures)
        codes.update(f[1] for f in inside)
        two_structures += len({f[0] for f in inside}) > 1
        for value in person.attributes.get("ENTAuxEnsClassesMatieres", []):
            structure, division, subject = value.split("$")
            assert subject in subjects
            assert (structure, division) in classes or int(structure) >= OUTSIDE_STRUCTURE_BASE
        for value in person.attributes.get("ENTAuxEnsGroupesMatieres", []):
            structure, group, subject = value.split("$")
            assert (structure, group) in groups and subject in subjects
        for value in person.attributes.get("ENTAuxEnsClassesPrincipal", []):
            assert tuple(value.split("$")) in classes
    assert {"DIR", "EDU", "ENS"} <= set(codes)
    assert codes["ENS"] > codes["DIR"]
    assert two_structures >= 1


def test_delta_adds_modifies_and_deletes_people(export: ExportSummary, complete: dict[str, list[Request]]) -> None:
    assert export.delta_dir is not None
    names = sorted(path.name for path in export.delta_dir.iterdir())
    assert names == [
        f"FULL_ENTTSSERVICES_Delta_20250916_{kind}_0000.xml" for kind in ("Eleve", "PersEducNat", "PersRelEleve")
    ]
    delta = read_export(export.delta_dir)
    assert delta["PersRelEleve"][0].category == "PersRelEleve"
    known = {kind: {r.identifier for r in complete[kind]} for kind in ("Eleve", "PersRelEleve", "PersEducNat")}
    for kind, requests in delta.items():
        operations = Counter(r.operation for r in requests)
        assert operations == Counter({f"{op}Request": n for op, n in export.delta_counts[kind].items() if n}), kind
        for request in requests:
            if request.operation == "addRequest":
                assert request.identifier not in known[kind]
            else:
                assert request.identifier in known[kind]
            if request.operation == "modifyRequest":  # a whole-record replace
                assert first(request, "ENTPersonJointure") == request.identifier
                assert "sn" in request.attributes
    assert {r.operation for r in delta["Eleve"]} == {"addRequest", "modifyRequest", "deleteRequest"}
    # After the Delta every student's relatives exist: in the complete export and not deleted, or added.
    relatives = known["PersRelEleve"] | {r.identifier for r in delta["PersRelEleve"] if r.operation == "addRequest"}
    relatives -= {r.identifier for r in delta["PersRelEleve"] if r.operation == "deleteRequest"}
    gone = {r.identifier for r in delta["Eleve"] if r.operation == "deleteRequest"}
    changed = {r.identifier: r for r in delta["Eleve"] if r.operation != "deleteRequest"}
    for student in complete["Eleve"]:
        if student.identifier not in gone:
            student = changed.get(student.identifier, student)
            assert {v.split("$")[0] for v in student.attributes["ENTElevePersRelEleve"]} <= relatives
    originals = {s.identifier: s for s in complete["Eleve"]}
    for request in delta["Eleve"]:
        if request.operation == "modifyRequest":  # a new division, or the grant when the level has one division
            before = originals[request.identifier].attributes
            assert [request.attributes[name] for name in ("ENTEleveClasses", "ENTEleveBoursier")] != [
                before[name] for name in ("ENTEleveClasses", "ENTEleveBoursier")
            ]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, export: ExportSummary) -> None:
    again = generate(tmp_path / "again", **SMALL)
    other = generate(tmp_path / "other", **{**SMALL, "seed": 2})
    for directory in ("complet", "delta"):
        original = {p.name: p.read_bytes() for p in (export.complete_dir.parent / directory).iterdir()}
        assert original == {p.name: p.read_bytes() for p in (again.complete_dir.parent / directory).iterdir()}
    students = export.files["Eleve"][0].read_bytes()
    assert students != other.files["Eleve"][0].read_bytes()


def test_large_kinds_split_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bench.aaf_generator.shape.PART_SIZE", 40)
    summary = generate(tmp_path, **{**SMALL, "delta_percent": 0})
    assert summary.delta_dir is None and not (tmp_path / "delta").exists()
    assert [p.name[-9:] for p in summary.files["PersRelEleve"]] == ["_0000.xml", "_0001.xml", "_0002.xml", "_0003.xml"]
    assert sum(len(parse(p)) for p in summary.files["PersRelEleve"]) == 150
    assert PART_SIZE == 20_000


def test_apportion_keeps_the_total() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(65_000, [0.3, 1.2, 7.5, 1.0])) == 65_000
    assert apportion(0, [1, 2]) == [0, 0]


@pytest.mark.skipif(importlib.util.find_spec("annuaire.aaf.reader") is None, reason="annuaire.aaf.reader absent")
def test_the_importers_reader_takes_the_export(export: ExportSummary) -> None:
    from annuaire.aaf.files import collect_files
    from annuaire.aaf.reader import read_records

    for directory, expected in ((export.complete_dir, export.counts), (export.delta_dir, None)):
        files = collect_files([directory])
        assert [f.kind for f in files] == sorted((f.kind for f in files), key=KINDS.index)
        counts: Counter[str] = Counter()
        for aaf_file in files:
            assert aaf_file.complete == (directory == export.complete_dir)
            for record in read_records(aaf_file):
                counts[record.kind] += 1
                assert record.identifier
        if expected is not None:
            assert dict(counts) == expected
        else:
            assert dict(counts) == {kind: sum(ops.values()) for kind, ops in export.delta_counts.items()}
