"""The AAF importer: read every file, check every reference, then apply all or nothing.

Pipeline, one module a step: `collect_files` (`annuaire.aaf.files`) -> `read`
(`annuaire.aaf.read`: parse each record, collect errors with file and line) -> `check`
(`annuaire.aaf.check`: references between records and to the database) -> `Applier`
(`annuaire.aaf.apply`: one transaction, bulk writes, nothing written when nothing changed)
-> a report per school (`annuaire.aaf.report`). `--dry-run` runs the same transaction and
rolls it back.

The importer is the only writer of rectorat-owned fields (names, birth date, memberships,
divisions, groups, teaching services, guardianships); e-mail and phone are written only
while nobody edited them by hand, and local memberships (`from_directory=False`) are never
touched. It reads and writes across schools by nature (`cross_school`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from annuaire.aaf.apply import Applier
from annuaire.aaf.apply.base import RollBack
from annuaire.aaf.check import check
from annuaire.aaf.files import AafFormatError, collect_files
from annuaire.aaf.parse_cache import ParseCache
from annuaire.aaf.read import Export, FileSource, RecordSource, read
from annuaire.aaf.report import ImportReport, record_run
from schools.tenancy import cross_school


def import_aaf(
    *, paths: Iterable[str | Path], dry_run: bool = False, origin: str = "command", reparse: bool = False
) -> ImportReport:
    """Import AAF files, folders or archives; all or nothing. Records the run in the history.

    Files already parsed by an earlier run, byte for byte, are taken from the cache of parses
    (`AAF_PARSE_CACHE_DIR`) unless `reparse`; the database side always runs in full."""
    try:
        files = collect_files(paths)
    except AafFormatError as error:
        return import_sources(sources=[], dry_run=dry_run, origin=origin, errors=[str(error)])
    errors = [] if files else [_("Aucun fichier AAF trouvé dans les chemins donnés.")]
    return import_sources(
        sources=[FileSource(f) for f in files],
        dry_run=dry_run,
        origin=origin,
        errors=errors,
        parse_cache=ParseCache.from_settings(reuse=not reparse),
    )


def import_sources(
    *,
    sources: Iterable[RecordSource],
    dry_run: bool = False,
    origin: str = "command",
    errors: list[str] | None = None,
    parse_cache: ParseCache | None = None,
) -> ImportReport:
    """Import records from any sources, in the order given; all or nothing, kept in the history."""
    report = ImportReport(dry_run=dry_run, errors=list(errors or []))
    with cross_school():
        with _without_cycle_collector():
            _read_and_apply(sources, report, parse_cache)
        record_run(report, origin)
    return report


def _read_and_apply(sources: Iterable[RecordSource], report: ImportReport, parse_cache: ParseCache | None) -> None:
    # Its own function so that the export is freed before the cycle collector resumes: its first
    # pass would otherwise walk every object the run made (0.4 s measured on a Paris-size run).
    export = read(sources, report, parse_cache) if not report.errors else Export()
    context = check(export, report) if not report.errors else None
    if context is None:
        return
    try:
        with transaction.atomic():
            Applier(export, context, report).run()
            if report.dry_run:
                raise RollBack
    except RollBack:
        pass


@contextlib.contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Suspend Python's cycle collector for the run (and the workers it forks).

    A Paris-size run keeps millions of small objects alive until its end (the export, the rows
    read back) and leaves no cycles to reclaim; the collector's full passes over that growing heap
    took about 3 s of the main process's 7 in a no-op re-import, and a second in the parsing
    workers. Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
