"""Reading an export's files in worker processes gives what reading them one after the other gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire.aaf import read as reading
from annuaire.aaf.files import collect_files
from annuaire.aaf.read import Export, FileSource, read
from annuaire.aaf.report import ImportReport
from bench.aaf_generator import generate

BROKEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n'
    "<deleteRequest>\n<identifier><id></id></identifier>\n</deleteRequest>\n"
    "<addRequest>\n<identifier><id>9</id></identifier>\n<attributes>\n"
    '<attr name="ENTPersonDateNaissance"><value>31/02/2010</value></attr>\n</attributes>\n</addRequest>\n'
    "<addRequest>\n</ficAlimMENESR>\n"
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    summary = generate(tmp_path_factory.mktemp("aaf"), schools=2, students=100, relatives=150, staff=20)
    assert summary.delta_dir is not None
    broken = summary.delta_dir / "FULL_ENTTSSERVICES_Delta_20250916_PersRelEleve_0001.xml"
    broken.write_text(BROKEN, encoding="utf-8")
    return [summary.complete_dir, summary.delta_dir]


def read_with(processors: int, folders: list[Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Export, ImportReport]:
    monkeypatch.setattr(reading.os, "cpu_count", lambda: processors)
    report = ImportReport()
    export = read([FileSource(aaf_file) for aaf_file in collect_files(folders)], report)
    return export, report


def test_workers_read_the_same_export_and_errors_as_one_process(folders, monkeypatch):
    pools = []

    class SpiedPool(reading.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(reading, "ProcessPoolExecutor", SpiedPool)
    alone, alone_report = read_with(1, folders, monkeypatch)
    assert not pools
    shared, shared_report = read_with(2, folders, monkeypatch)

    assert pools == [(2,)]
    assert shared == alone
    assert shared_report == alone_report
    # The Delta's deletions and changes were applied in file order, over the complete export.
    assert alone.deleted["Eleve"] and not alone.deleted["Eleve"] & set(alone.students)
    broken = "FULL_ENTTSSERVICES_Delta_20250916_PersRelEleve_0001.xml"
    assert alone_report.errors[:2] == [
        f"{broken}, ligne 3 : suppression sans identifiant.",
        f"{broken}, ligne 6 : date impossible dans ENTPersonDateNaissance : « 31/02/2010 ».",
    ]
    assert alone_report.errors[2].startswith(f"{broken}, ligne 13 : balise fermante inattendue")
    assert len(alone_report.errors) == 3
