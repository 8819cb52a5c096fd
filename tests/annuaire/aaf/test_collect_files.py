"""Finding the AAF export files among files, folders and archives, in processing order."""

from __future__ import annotations

import datetime
import tarfile
from pathlib import Path

import pytest

from annuaire.aaf.files import AafFormatError, collect_files
from annuaire.aaf.reader import read_records
from tests.annuaire.aaf.xml_samples import document, student

# --- Finding the files -----------------------------------------------------------------------------


def write_export(folder: Path, name: str, identifier: str) -> Path:
    path = folder / name
    path.write_bytes(document(student(identifier, ("sn", ["A"]))))
    return path


def test_files_folders_and_archives_are_collected_in_processing_order(tmp_path):
    folder = tmp_path / "drop" / "2024"
    folder.mkdir(parents=True)
    write_export(folder, "ENT_Delta_20240905_EtabEducNat_0000.xml", "S1")
    (folder / "SOURCE.md").write_text("ignored")
    (folder / "ficAlimMENESR.dtd").write_text("ignored")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "not an export.xml").write_text("ignored")

    staging = tmp_path / "staging"
    staging.mkdir()
    write_export(staging, "ENT_Complet_20240901_Eleve_0001.xml", "E2")
    write_export(staging, "ENT_Complet_20240901_Eleve_0000.xml", "E1")
    archive = tmp_path / "export.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging / "ENT_Complet_20240901_Eleve_0001.xml", arcname="export/ENT_Complet_20240901_Eleve_0001.xml")
        tar.add(staging / "ENT_Complet_20240901_Eleve_0000.xml", arcname="export/ENT_Complet_20240901_Eleve_0000.xml")
        tar.add(staging / "ENT_Complet_20240901_Eleve_0000.xml", arcname="export/._ENT_Complet_20240901_Eleve_0000.xml")
    loose = write_export(tmp_path, "ENT_Complet_20240830_MefEducNat_0000.xml", "M1")

    files = collect_files([archive, str(tmp_path / "drop"), loose, loose])

    assert [(f.name, f.kind, f.complete, f.export_date, f.part) for f in files] == [
        ("ENT_Delta_20240905_EtabEducNat_0000.xml", "EtabEducNat", False, datetime.date(2024, 9, 5), 0),
        ("ENT_Complet_20240830_MefEducNat_0000.xml", "MefEducNat", True, datetime.date(2024, 8, 30), 0),
        ("ENT_Complet_20240901_Eleve_0000.xml", "Eleve", True, datetime.date(2024, 9, 1), 0),
        ("ENT_Complet_20240901_Eleve_0001.xml", "Eleve", True, datetime.date(2024, 9, 1), 1),
    ]
    assert files[2].source == f"{archive}:export/ENT_Complet_20240901_Eleve_0000.xml"
    assert [[r.identifier for r in read_records(f)] for f in files] == [["S1"], ["M1"], ["E1"], ["E2"]]
    with files[3].opener() as stream:
        assert stream.read().startswith(b"<?xml")


def test_files_are_ordered_by_kind_then_date_then_part(tmp_path):
    for name in [
        "X_Delta_20240910_PersEducNat_0000.xml",
        "X_Complet_20240901_PersEducNat_0001.xml",
        "X_Complet_20240901_PersEducNat_0000.xml",
        "X_Delta_20240910_Eleve_0000.xml",
        "X_Complet_20240901_PersRelEleve_0000.xml",
        "X_Complet_20240901_MatiereEducNat_0000.xml",
    ]:
        write_export(tmp_path, name, "1")

    assert [f.name for f in collect_files([tmp_path])] == [
        "X_Complet_20240901_MatiereEducNat_0000.xml",
        "X_Delta_20240910_Eleve_0000.xml",
        "X_Complet_20240901_PersRelEleve_0000.xml",
        "X_Complet_20240901_PersEducNat_0000.xml",
        "X_Complet_20240901_PersEducNat_0001.xml",
        "X_Delta_20240910_PersEducNat_0000.xml",
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("eleves.xml", "nom de fichier non conforme"),
        ("ENT_Complet_2024091_Eleve_0000.xml", "nom de fichier non conforme"),
        ("ENT_Partiel_20240901_Eleve_0000.xml", "nom de fichier non conforme"),
        ("_Complet_20240901_Eleve_0000.xml", "nom de fichier non conforme"),
        ("ENT_Complet_20240901_Professeur_0000.xml", "type de fichier inconnu « Professeur »"),
        ("ENT_Complet_20240231_Eleve_0000.xml", "date d'export impossible « 20240231 »"),
    ],
)
def test_a_badly_named_xml_file_is_refused(tmp_path, name, reason):
    write_export(tmp_path, "ENT_Complet_20240901_Eleve_0001.xml", "1")
    write_export(tmp_path, name, "1")

    with pytest.raises(AafFormatError) as caught:
        collect_files([tmp_path])

    assert caught.value.file == name
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{name} : {reason}")


def test_the_same_file_name_from_two_places_is_refused(tmp_path):
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write_export(first, "ENT_Complet_20240901_Eleve_0000.xml", "1")
    write_export(second, "ENT_Complet_20240901_Eleve_0000.xml", "2")

    with pytest.raises(AafFormatError, match="fichier reçu deux fois"):
        collect_files([first, second])


def test_a_missing_path_or_a_broken_archive_is_refused(tmp_path):
    broken = tmp_path / "export.tgz"
    broken.write_bytes(b"\x1f\x8b\x08not really gzip")

    with pytest.raises(AafFormatError, match="introuvable"):
        collect_files([tmp_path / "nowhere"])
    with pytest.raises(AafFormatError, match="archive illisible"):
        collect_files([broken])
