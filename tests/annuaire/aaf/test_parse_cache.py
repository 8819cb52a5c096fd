"""Parses kept by content: a file received again is not parsed again, and nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from annuaire.aaf import parse_cache
from annuaire.aaf import read as reading
from annuaire.aaf.files import collect_files
from annuaire.aaf.importer import import_aaf
from annuaire.aaf.parse_cache import SUFFIX, ParseCache
from annuaire.aaf.read import Export, FileSource, ParsedSource, read
from annuaire.aaf.report import ImportReport
from annuaire.models import ImportRun
from bench.aaf_generator import generate

STUDENTS = "FULL_ENTTSSERVICES_Complet_20250915_Eleve_0000.xml"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    summary = generate(tmp_path / "export", schools=2, students=100, relatives=150, staff=20, delta_percent=0)
    return summary.complete_dir


@pytest.fixture
def parsed_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files actually parsed, read in this process."""
    names: list[str] = []
    parse: Callable[[FileSource], ParsedSource] = reading.parse_source

    def spied(source: FileSource) -> ParsedSource:
        names.append(source.name)
        return parse(source)

    monkeypatch.setattr(reading.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(reading, "parse_source", spied)
    return names


def read_folder(folder: Path, cache: ParseCache | None) -> tuple[Export, ImportReport]:
    report = ImportReport()
    return read([FileSource(aaf_file) for aaf_file in collect_files([folder])], report, cache), report


def kept(cache: ParseCache) -> list[Path]:
    return sorted(cache.directory.glob(f"*{SUFFIX}"))


def test_a_file_read_again_comes_from_the_cache_and_reads_the_same(export_dir, tmp_path, parsed_names):
    cache = ParseCache(tmp_path / "parsed")
    first, first_report = read_folder(export_dir, cache)
    files = [aaf_file.name for aaf_file in collect_files([export_dir])]
    assert parsed_names == files
    assert len(kept(cache)) == len(files)

    parsed_names.clear()
    again, again_report = read_folder(export_dir, cache)
    assert parsed_names == []
    assert again == first
    assert again_report == first_report
    assert (again, again_report) == read_folder(export_dir, None)


def test_only_the_changed_file_is_parsed_again(export_dir, tmp_path, parsed_names):
    cache = ParseCache(tmp_path / "parsed")
    read_folder(export_dir, cache)
    students = export_dir / STUDENTS
    students.write_text(students.read_text(encoding="utf-8").replace("<value>", "<value> ", 1), encoding="utf-8")

    parsed_names.clear()
    read_folder(export_dir, cache)
    assert parsed_names == [STUDENTS]
    # The earlier parse of the students' file was used by no run since: it is forgotten.
    assert len(kept(cache)) == len(collect_files([export_dir]))


def test_a_tampered_entry_is_never_loaded(export_dir, tmp_path, parsed_names):
    cache = ParseCache(tmp_path / "parsed")
    read_folder(export_dir, cache)
    for path in kept(cache):
        data = bytearray(path.read_bytes())
        data[-1] ^= 1
        path.write_bytes(bytes(data))

    parsed_names.clear()
    export, _report = read_folder(export_dir, cache)
    assert len(parsed_names) == len(collect_files([export_dir]))
    assert export == read_folder(export_dir, None)[0]


def test_new_parsing_code_parses_again(export_dir, tmp_path, parsed_names, monkeypatch):
    cache = ParseCache(tmp_path / "parsed")
    read_folder(export_dir, cache)
    monkeypatch.setattr(parse_cache, "code_version", lambda: b"another version of the parser")

    parsed_names.clear()
    read_folder(export_dir, cache)
    assert len(parsed_names) == len(collect_files([export_dir]))


def test_a_parse_with_errors_is_not_kept(export_dir, tmp_path, parsed_names):
    cache = ParseCache(tmp_path / "parsed")
    students = export_dir / STUDENTS
    students.write_text(students.read_text(encoding="utf-8")[:-30], encoding="utf-8")
    _export, report = read_folder(export_dir, cache)
    assert report.errors and report.errors[0].startswith(STUDENTS)

    parsed_names.clear()
    _export, again = read_folder(export_dir, cache)
    assert parsed_names == [STUDENTS]
    assert again.errors == report.errors


def test_reuse_off_parses_every_file_and_keeps_the_new_parses(export_dir, tmp_path, parsed_names):
    read_folder(export_dir, ParseCache(tmp_path / "parsed"))
    parsed_names.clear()
    read_folder(export_dir, ParseCache(tmp_path / "parsed", reuse=False))
    assert len(parsed_names) == len(collect_files([export_dir]))
    parsed_names.clear()
    read_folder(export_dir, ParseCache(tmp_path / "parsed"))
    assert parsed_names == []


@pytest.mark.django_db
def test_an_import_served_from_the_cache_compares_and_records_like_one_that_parsed(
    export_dir, tmp_path, parsed_names, settings
):
    settings.AAF_PARSE_CACHE_DIR = str(tmp_path / "parsed")
    first = import_aaf(paths=[export_dir])
    assert first.rows_written and not first.errors

    parsed_names.clear()
    from_cache = import_aaf(paths=[export_dir])
    assert parsed_names == []
    reparsed = import_aaf(paths=[export_dir], reparse=True)
    assert len(parsed_names) == len(collect_files([export_dir]))

    for report in (from_cache, reparsed):
        assert report.rows_written == 0
        assert report.totals == from_cache.totals
        assert report.per_school == from_cache.per_school
        assert report.warnings == from_cache.warnings
    runs = ImportRun.objects.filter(pk__in=[from_cache.run_id, reparsed.run_id])
    assert {run.status for run in runs} == {ImportRun.Status.APPLIED}


@pytest.mark.django_db
def test_the_command_parses_again_when_asked(export_dir, tmp_path, parsed_names, settings):
    settings.AAF_PARSE_CACHE_DIR = str(tmp_path / "parsed")
    call_command("import_aaf", str(export_dir), stdout=_Sink())
    parsed_names.clear()
    call_command("import_aaf", str(export_dir), "--reparse", stdout=_Sink())
    assert len(parsed_names) == len(collect_files([export_dir]))


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
