"""The importer's first step: every source parsed (files in worker processes), into one `Export`.

Each record becomes what it asks of the export (a parsed object by its key, or a deletion); errors
are collected with their file and line. Everything here is module-level and picklable: the
workers, forked with `multiprocessing` "fork", call `_parse` on each file.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from annuaire.aaf.files import AafFile, AafFormatError
from annuaire.aaf.parse_cache import DigestingOpener, ParseCache, content_digest
from annuaire.aaf.reader import Record, read_records
from annuaire.aaf.records import (
    Nomenclature,
    Person,
    RecordError,
    Staff,
    Structure,
    Student,
    parse_nomenclature,
    parse_person,
    parse_staff,
    parse_structure,
    parse_student,
)
from annuaire.aaf.report import ImportReport

# Processes parsing the files of an import at the same time.
MAX_READERS = 4


@dataclass
class Export:
    """Everything read from the files, by identifier (the last record of a person wins)."""

    structures: dict[str, Structure] = field(default_factory=dict)
    subjects: dict[str, Nomenclature] = field(default_factory=dict)
    mefs: dict[str, Nomenclature] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    relatives: dict[str, Person] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    export_date: datetime.date | None = None


_PARSERS = {
    "EtabEducNat": lambda r: parse_structure(r),
    "MatiereEducNat": lambda r: parse_nomenclature(r, "ENTMatJointure", "ENTLibelleMatiere"),
    "MefEducNat": lambda r: parse_nomenclature(r, "ENTMefJointure", "ENTLibelleMef"),
    "Eleve": lambda r: parse_student(r),
    "PersRelEleve": lambda r: parse_person(r),
    "PersEducNat": lambda r: parse_staff(r),
}
_TARGETS = {
    "EtabEducNat": "structures",
    "MatiereEducNat": "subjects",
    "MefEducNat": "mefs",
    "Eleve": "students",
    "PersRelEleve": "relatives",
    "PersEducNat": "staff",
}


def _entry(kind: str, record: Record) -> tuple[str, Any]:
    """What a record asks of the export: (key, parsed object), or (identifier, None) to delete."""
    if record.operation == "delete":
        identifier = record.identifier.strip()
        if not identifier:
            raise RecordError(record, _("suppression sans identifiant."))
        return identifier, None
    parsed = _PARSERS[kind](record)
    key = getattr(parsed, "external_id", None) or getattr(parsed, "code", None) or parsed.person.external_id  # type: ignore[attr-defined]
    return key, parsed


def _store(export: Export, kind: str, key: str, parsed: Any) -> None:
    target: dict[str, Any] = getattr(export, _TARGETS[kind])
    if parsed is None:
        export.deleted[kind].add(key)
        target.pop(key, None)
    else:
        target[key] = parsed


class RecordSource(Protocol):
    """Where records come from: an AAF file, or one kind of entry of an LDAP directory."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str:
        """One of "EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat"."""

    @property
    def complete(self) -> bool: ...

    @property
    def export_date(self) -> datetime.date: ...

    def records(self) -> Iterator[Record]: ...


@dataclass(frozen=True)
class FileSource:
    """An AAF XML file as a record source."""

    aaf_file: AafFile

    @property
    def name(self) -> str:
        return self.aaf_file.name

    @property
    def kind(self) -> str:
        return self.aaf_file.kind

    @property
    def complete(self) -> bool:
        return self.aaf_file.complete

    @property
    def export_date(self) -> datetime.date:
        return self.aaf_file.export_date

    def records(self) -> Iterator[Record]:
        return read_records(self.aaf_file)


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """One source, read and parsed: what its records ask of the export, in order, and its errors."""

    records: int
    entries: list[tuple[str, Any]]
    errors: list[str]


def parse_source(source: RecordSource) -> ParsedSource:
    entries: list[tuple[str, Any]] = []
    errors: list[str] = []
    records = 0
    try:
        for record in source.records():
            records += 1
            try:
                entries.append(_entry(source.kind, record))
            except RecordError as error:
                errors.append(str(error))
    except AafFormatError as error:
        errors.append(str(error))
    return ParsedSource(records, entries, errors)


def parse_file(source: FileSource, cache: ParseCache) -> tuple[ParsedSource, str]:
    """`parse_source` for a file, through the cache of parses (see `annuaire.aaf.parse_cache`);
    with the key of the parse in the cache, "" when it is not kept."""
    aaf_file = source.aaf_file
    digest = content_digest(aaf_file) if cache.reuse else None
    if digest is not None:
        key = cache.key(aaf_file.name, digest)
        kept = cache.load(key)
        if isinstance(kept, ParsedSource):
            return kept, key
    opener = DigestingOpener(aaf_file.opener)
    parsed = parse_source(FileSource(dataclasses.replace(aaf_file, opener=opener)))
    if parsed.errors:
        return parsed, ""
    key = cache.key(aaf_file.name, opener.hexdigest())
    cache.store(key, parsed)
    return parsed, key


def _parse(source: RecordSource, cache: ParseCache | None) -> tuple[ParsedSource, str]:
    if cache is not None and isinstance(source, FileSource):
        return parse_file(source, cache)
    return parse_source(source), ""


def _parsed_sources(sources: list[RecordSource], cache: ParseCache | None) -> Iterator[tuple[ParsedSource, str]]:
    """Each source parsed (and its key in the cache), in order. Files are parsed by worker processes,
    as many as there are processors (parsing is most of a large export's reading); other sources here."""
    parse = functools.partial(_parse, cache=cache)
    workers = min(len(sources), os.cpu_count() or 1, MAX_READERS)
    if workers < 2 or not all(isinstance(source, FileSource) for source in sources):
        yield from map(parse, sources)
        return
    # Forked workers start with the importer's modules loaded; they never touch the database.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(parse, sources)


def read(sources: Iterable[RecordSource], report: ImportReport, cache: ParseCache | None = None) -> Export:
    export = Export()
    sources = list(sources)
    kept: set[str] = set()
    for source, (parsed, key) in zip(sources, _parsed_sources(sources, cache), strict=True):
        kept.add(key)
        report.files.append(source.name)
        report.complete = report.complete and source.complete
        export.export_date = max(filter(None, (export.export_date, source.export_date)))
        report.count(f"read_{source.kind}", n=parsed.records)
        for key, value in parsed.entries:
            _store(export, source.kind, key, value)
        report.errors.extend(parsed.errors)
    if cache is not None:
        cache.retain(kept)
    return export
