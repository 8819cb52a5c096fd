"""The AAF importer: read every file, check every reference, then apply all or nothing.

Pipeline: `collect_files` -> `read` (parse each record, collect errors with file and line)
-> `check` (references between records and to the database) -> `apply` (one transaction,
bulk writes, nothing written when nothing changed) -> a report per school. `--dry-run`
runs the same transaction and rolls it back.

The importer is the only writer of rectorat-owned fields (names, birth date, memberships,
divisions, groups, teaching services, guardianships); e-mail and phone are written only
while nobody edited them by hand, and local memberships (`from_directory=False`) are never
touched. It reads and writes across schools by nature (`cross_school`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import gc
import json
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.aaf.parse_cache import DigestingOpener, ParseCache, content_digest
from annuaire.aaf.reader import AafFile, AafFormatError, Record, collect_files, read_records
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
from annuaire.logins import allocate_login, login_base
from annuaire.models import (
    Division,
    GroupMembership,
    Guardianship,
    ImportRun,
    ImportRunSchool,
    Mef,
    Membership,
    Profile,
    StudentContact,
    Subject,
    TeachingAssignment,
    TeachingGroup,
    User,
)
from schools.bulk import insert_rows, update_rows
from schools.models import School
from schools.tenancy import cross_school
from schools.uai import has_uai_shape, has_valid_check_letter
from schools.years import school_year_of

BATCH = 2000
PREFIX_BATCH = 200
# Processes parsing the files of an import at the same time.
MAX_READERS = 4
# Counters that stand for rows written; the others count what was read or skipped.
WRITE_SUFFIXES = ("_created", "_changed", "_ended", "_removed")


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    dry_run: bool = False
    complete: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    per_school: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    totals: Counter[str] = field(default_factory=Counter)
    run_id: int | None = None

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def rows_written(self) -> int:
        return sum(count for key, count in self.totals.items() if key.endswith(WRITE_SUFFIXES))

    def count(self, key: str, uai: str | None = None, n: int = 1) -> None:
        if n:
            self.totals[key] += n
            if uai:
                self.per_school[uai][key] += n


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


@dataclass
class Context:
    """The database side of the run: schools by structure id, the académie, the year."""

    academy: str
    school_year: int
    schools: dict[str, School]  # structure external id -> School (export and database)


def _academy(export: Export, report: ImportReport) -> str:
    academies = {structure.academy for structure in export.structures.values() if structure.academy}
    if len(academies) > 1:
        report.errors.append(
            _("Un import ne peut mêler plusieurs académies : %(list)s.") % {"list": ", ".join(sorted(academies))}
        )
    if academies:
        return academies.pop()
    known = School.objects.exclude(external_source="").values_list("external_source", flat=True).distinct()
    return next(iter(known), "")


def _referenced_structures(export: Export) -> set[str]:
    ids = {student.structure_id for student in export.students.values()}
    ids |= {structure for student in export.students.values() for structure, _code in student.divisions}
    ids |= {structure for staff in export.staff.values() for structure in staff.profiles}
    return ids


def check(export: Export, report: ImportReport) -> Context:
    academy = _academy(export, report)
    wanted = _referenced_structures(export) - set(export.structures)
    in_database = {
        school.external_id: school for school in School.objects.filter(external_source=academy, external_id__in=wanted)
    }
    known = set(export.structures) | set(in_database)
    for student in export.students.values():
        person = student.person
        for structure in {student.structure_id, *(s for s, _code in student.divisions)}:
            if structure not in known:
                report.errors.append(
                    _(
                        "%(file)s, ligne %(line)s : l'élève %(id)s est rattaché à la structure %(structure)s, "
                        "absente de l'export et de la base."
                    )
                    % {"file": person.file, "line": person.line, "id": person.external_id, "structure": structure}
                )
    for staff in export.staff.values():
        outside = sorted(set(staff.profiles) - known)
        if outside:
            report.warnings.append(
                _("%(file)s, ligne %(line)s : %(id)s sert aussi hors de l'export (%(list)s) : ignoré.")
                % {
                    "file": staff.person.file,
                    "line": staff.person.line,
                    "id": staff.person.external_id,
                    "list": ", ".join(outside),
                }
            )
    year = school_year_of(export.export_date or timezone.localdate())
    return Context(academy=academy, school_year=year, schools=in_database)


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
        _record_run(report, origin)
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
                raise _RollBack
    except _RollBack:
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


class _RollBack(Exception):
    """Leaves the transaction of a dry run without writing anything."""


def _record_run(report: ImportReport, origin: str) -> None:
    status = (
        ImportRun.Status.REFUSED
        if report.refused
        else ImportRun.Status.DRY_RUN
        if report.dry_run
        else ImportRun.Status.APPLIED
    )
    run = ImportRun.objects.create(
        origin=origin,
        status=status,
        files=report.files,
        counts=dict(report.totals),
        warnings=report.warnings[:1000],
        errors=report.errors[:1000],
        finished_at=timezone.now(),
    )
    report.run_id = run.pk
    if report.refused:
        return
    schools = School.objects.in_bulk(list(report.per_school), field_name="uai")
    ImportRunSchool.unscoped.bulk_create(
        ImportRunSchool(run=run, school=schools[uai], counts=dict(counts))
        for uai, counts in report.per_school.items()
        if uai in schools
    )


GUARDIANSHIP_FIELDS = ("legal_representative", "financial", "contact", "relationship")
CONTACT_FIELDS = ("last_name", "first_name", "phone", "relationship")
MEMBERSHIP_FIELDS = ("division_id", "functions", "active", "ended_at", "from_directory")
PERSON_FIELDS = ("first_name", "last_name", "birth_date", "email", "directory_email", "phone", "directory_phone")


def _person_fields(person: Person, current: dict[str, Any]) -> dict[str, Any]:
    """The rectorat's fields of a person; e-mail and phone only while nobody edited them by hand."""
    fields: dict[str, Any] = {
        "first_name": person.first_name[:150],
        "last_name": person.last_name[:150],
        "birth_date": person.birth_date,
        "directory_email": person.email[:254],
        "directory_phone": person.phone[:30],
    }
    if current.get("email", "") == current.get("directory_email", ""):
        fields["email"] = person.email[:254]
    if current.get("phone", "") == current.get("directory_phone", ""):
        fields["phone"] = person.phone[:30]
    return fields


def _batches(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _rows_in(queryset: Any, field_name: str, values: Iterable[Any]) -> Iterator[Any]:
    """Rows whose `field_name` is among `values`, asked in batches (a query has a bounded size)."""
    for batch in _batches(list(values)):
        yield from queryset.filter(**{f"{field_name}__in": batch})


MembershipKey = tuple[int, int, str]  # school id, user id, profile


class MembershipRow(NamedTuple):
    """A membership as the importer compares it: its id, then MEMBERSHIP_FIELDS."""

    id: int
    division_id: int | None
    functions: list[str]
    active: bool
    ended_at: datetime.datetime | None
    from_directory: bool


@functools.lru_cache(maxsize=1024)
def _functions(text: str) -> list[str]:
    # A few lists of functions serve every member: decoded once each (the result is never changed).
    return list(json.loads(text))


def _membership_rows(queryset: Any, user_ids: set[int] | None = None) -> dict[MembershipKey, MembershipRow]:
    """Memberships by (school, user, profile), of `user_ids` only when given."""
    rows = queryset.values_list(
        "school_id",
        "user_id",
        "profile",
        "id",
        "division_id",
        Cast("functions", TextField()),
        "active",
        "ended_at",
        "from_directory",
    )
    source = rows.iterator(chunk_size=BATCH) if user_ids is None else _rows_in(rows, "user_id", user_ids)
    return {
        (school_id, user_id, profile): MembershipRow(pk, division_id, _functions(functions), *rest)
        for school_id, user_id, profile, pk, division_id, functions, *rest in source
    }


def _taken_logins(bases: set[str]) -> set[str]:
    """The logins already given that new accounts made from `bases` could collide with."""
    if len(bases) > BATCH:  # a first import: the whole list costs less than many queries
        return set(User.objects.values_list("username", flat=True))
    taken: set[str] = set()
    for base in bases:  # one query each: a prefix search uses the index, an OR of many does not
        taken.update(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    return taken


def _delete_in(model: Any, pks: list[int]) -> None:
    for batch in _batches(pks):
        model.unscoped.filter(pk__in=batch).delete()


class Applier:
    """Writes the export into the database; counts each row it creates or changes."""

    def __init__(self, export: Export, context: Context, report: ImportReport) -> None:
        self.export = export
        self.context = context
        self.report = report
        self.now = timezone.now()
        self.schools: dict[str, School] = dict(context.schools)
        self.user_ids: dict[str, int] = {}  # external id -> user id

    def run(self) -> None:
        self.write_nomenclatures()
        self.write_schools()
        self.write_people()
        self.write_divisions_and_groups()
        self.write_memberships()
        self.write_guardianships_and_contacts()
        self.write_assignments()

    def _directory_users(self) -> Any:
        """The académie's people. Saying that their identifier is not empty lets PostgreSQL look them
        up by identifier in the unique index, which is partial (a list of ids alone does not prove it)."""
        return User.objects.filter(external_source=self.context.academy).exclude(external_id="")

    def _select(self, queryset: Any, field_name: str, ids: Iterable[Any]) -> Iterator[Any]:
        """Rows of a tenant queryset whose `field_name` is among `ids`.

        A complete import reads its schools' rows in one pass (long lists of ids make slow
        queries); a Delta, which names few people, asks by batches of ids.
        """
        wanted = set(ids)
        school_ids = {school.pk for school in self.schools.values()}
        if not (self.report.complete and school_ids):
            yield from _rows_in(queryset, field_name, wanted)
            return
        for row in queryset.filter(school_id__in=school_ids).iterator(chunk_size=BATCH):
            if (row[field_name] if isinstance(row, dict) else getattr(row, field_name)) in wanted:
                yield row

    # --- nomenclatures and structures ---------------------------------------------------------

    def write_nomenclatures(self) -> None:
        mefs = self.export.mefs
        if not mefs:
            return
        existing = dict(Mef.objects.filter(code__in=list(mefs)).values_list("code", "label"))
        new = [Mef(code=code, label=mef.label[:100]) for code, mef in mefs.items() if code not in existing]
        changed = [code for code, mef in mefs.items() if code in existing and existing[code] != mef.label[:100]]
        Mef.objects.bulk_create(new, batch_size=BATCH)
        for code in changed:
            Mef.objects.filter(code=code).update(label=mefs[code].label[:100])
        self.report.count("mefs_created", n=len(new))
        self.report.count("mefs_changed", n=len(changed))

    def write_schools(self) -> None:
        structures = self.export.structures
        by_key = {
            school.external_id: school
            for school in School.objects.filter(external_source=self.context.academy, external_id__in=list(structures))
        }
        by_uai = School.objects.in_bulk([s.uai for s in structures.values()], field_name="uai")
        for structure in structures.values():
            school = by_key.get(structure.external_id) or by_uai.get(structure.uai)
            wanted = {
                "uai": structure.uai,
                "name": structure.name[:200],
                "kind": structure.kind,
                "external_source": self.context.academy,
                "external_id": structure.external_id,
                "uai_check_warning": not has_valid_check_letter(structure.uai),
            }
            if school is None:
                if not has_uai_shape(structure.uai):
                    self.report.errors.append(
                        _("Structure %(id)s : « %(uai)s » n'est pas un UAI.")
                        % {"id": structure.external_id, "uai": structure.uai}
                    )
                    continue
                school = School.objects.create(status=School.Status.PREPARING, **wanted)
                self.report.count("schools_created", structure.uai)
            elif any(getattr(school, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(school, name, value)
                school.save(update_fields=list(wanted))
                self.report.count("schools_changed", structure.uai)
            if school.uai_check_warning:
                self.report.warnings.append(
                    _("Structure %(id)s : la lettre clé de l'UAI %(uai)s est fausse (données anonymisées ?).")
                    % {"id": structure.external_id, "uai": structure.uai}
                )
            self.schools[structure.external_id] = school
            # Every school of the export gets its line in the history, even when nothing changed.
            self.report.per_school.setdefault(school.uai, Counter())
        if self.report.errors:
            raise _RollBack

    # --- people --------------------------------------------------------------------------------

    def people_in_run(self) -> dict[str, Person]:
        """Students, staff, and the legal representatives of the run's students."""
        people = {key: student.person for key, student in self.export.students.items()}
        people.update({key: staff.person for key, staff in self.export.staff.items()})
        legal_ids = {
            link.relative_id
            for student in self.export.students.values()
            for link in student.relatives
            if link.legal_rank in (1, 2)
        }
        for relative_id in legal_ids:
            relative = self.export.relatives.get(relative_id)
            if relative is not None:
                people[relative_id] = relative
        # A relative updated alone (a Delta) is written when the person already has an account.
        lonely = set(self.export.relatives) - legal_ids
        if lonely:
            known = self._directory_users()
            existing = set(_rows_in(known.values_list("external_id", flat=True), "external_id", lonely))
            people.update({key: self.export.relatives[key] for key in existing})
            self.report.count("relatives_without_student", n=len(lonely - existing))
        return people

    def write_people(self) -> None:
        people = self.people_in_run()
        known = self._directory_users().values("id", "external_id", *PERSON_FIELDS)
        if self.report.complete:  # most of the académie: one pass beats long lists of ids
            existing = {
                row["external_id"]: row for row in known.iterator(chunk_size=BATCH) if row["external_id"] in people
            }
        else:
            existing = {row["external_id"]: row for row in _rows_in(known, "external_id", people)}
        # Each newcomer's base once: folding names costs a few microseconds, 175,000 times in a first import.
        bases = {key: login_base(p.first_name, p.last_name) for key, p in people.items() if key not in existing}
        taken = _taken_logins(set(bases.values()))
        unusable = make_password(None)
        new_users: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        for key, person in people.items():
            row = existing.get(key)
            if row is None:
                login = allocate_login(bases[key], taken)
                fields = _person_fields(person, {})
                new_users.append((login, self.context.academy, key, unusable, *(fields[f] for f in PERSON_FIELDS)))
                continue
            self.user_ids[key] = row["id"]
            wanted = _person_fields(person, row)
            if any(row[name] != value for name, value in wanted.items()):
                current = {**row, **wanted}
                changed.append((row["id"], *(current[name] for name in PERSON_FIELDS)))
        created = insert_rows(
            User,
            ("username", "external_source", "external_id", "password", *PERSON_FIELDS),
            new_users,
            returning=("external_id", "id"),
        )
        self.user_ids.update(dict(created))
        update_rows(User, PERSON_FIELDS, changed)
        self._load_known_relatives()
        self.report.count("accounts_created", n=len(created))
        self.report.count("accounts_changed", n=len(changed))

    def _load_known_relatives(self) -> None:
        """Legal representatives named by the run's students but not in its files (a Delta)."""
        named = {
            link.relative_id
            for student in self.export.students.values()
            for link in student.relatives
            if link.legal_rank in (1, 2)
        }
        known = self._directory_users().values_list("external_id", "id")
        self.user_ids.update(dict(_rows_in(known, "external_id", named - set(self.user_ids))))

    # --- divisions, groups -----------------------------------------------------------------------

    def _wanted_codes(self) -> tuple[dict[tuple[int, str], str], dict[tuple[int, str], str]]:
        divisions: dict[tuple[int, str], str] = {}
        groups: dict[tuple[int, str], str] = {}
        for declared in self.export.structures.values():
            school = self.schools.get(declared.external_id)
            if school is not None:
                divisions.update({(school.pk, code): label for code, label in declared.divisions})
                groups.update({(school.pk, code): label for code, label in declared.groups})
        for student in self.export.students.values():
            for structure, code in student.divisions:
                divisions.setdefault((self.schools[structure].pk, code), code)
            for structure, code in student.groups:
                if structure in self.schools:
                    groups.setdefault((self.schools[structure].pk, code), code)
        for staff in self.export.staff.values():
            for structure, code, _subject in staff.division_subjects:
                if structure in self.schools:
                    divisions.setdefault((self.schools[structure].pk, code), code)
            for structure, code, _subject in staff.group_subjects:
                if structure in self.schools:
                    groups.setdefault((self.schools[structure].pk, code), code)
        return divisions, groups

    def write_divisions_and_groups(self) -> None:
        divisions, groups = self._wanted_codes()
        self._report_rollover({school_id for school_id, _code in divisions})
        self.divisions = self._ensure(Division, divisions, "divisions_created")
        self.groups = self._ensure(TeachingGroup, groups, "groups_created")
        self._link_levels()

    def _link_levels(self) -> None:
        """A division's level (MEF) is its students' (ENTEleveMEF); the rectorat owns it."""
        levels: dict[tuple[int, str], str] = {}
        for student in self.export.students.values():
            for structure, code in student.divisions:
                if student.mef and structure == student.structure_id:
                    levels.setdefault((self.schools[structure].pk, code[:30]), student.mef)
        mef_ids = dict(Mef.objects.filter(code__in=set(levels.values())).values_list("code", "id"))
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        changed = []
        for key, mef_code in levels.items():
            division = self.divisions.get(key)
            mef_id = mef_ids.get(mef_code)
            if division is not None and mef_id is not None and division.mef_id != mef_id:
                division.mef_id = mef_id
                changed.append((division.pk, mef_id))
                self.report.count("divisions_changed", uai_of.get(key[0]))
        update_rows(Division, ("mef_id",), changed)

    def _report_rollover(self, school_ids: set[int]) -> None:
        """The first import of a new school year: last year's divisions stay, archived by their year."""
        year = self.context.school_year
        rows = (
            Division.unscoped.filter(school_id__in=school_ids)
            .values("school_id")
            .annotate(
                current=Count("id", filter=Q(school_year=year)), earlier=Count("id", filter=Q(school_year__lt=year))
            )
        )
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        for row in rows:
            if row["current"] == 0 and row["earlier"]:
                uai = uai_of.get(row["school_id"], "")
                self.report.count("divisions_archived", uai, n=row["earlier"])
                self.report.warnings.append(
                    _("%(uai)s : passage à l'année %(year)s-%(next)s, %(count)s classe(s) archivée(s).")
                    % {"uai": uai, "year": year, "next": year + 1, "count": row["earlier"]}
                )

    def _ensure(self, model: Any, wanted: dict[tuple[int, str], str], counter: str) -> dict[tuple[int, str], Any]:
        year = self.context.school_year
        school_ids = {school_id for school_id, _code in wanted}
        existing = {
            (row.school_id, row.code): row for row in model.unscoped.filter(school_id__in=school_ids, school_year=year)
        }
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        new = [
            model(school_id=school_id, code=code[:30], name=label[:100], school_year=year, external_id=code[:64])
            for (school_id, code), label in wanted.items()
            if (school_id, code[:30]) not in existing
        ]
        model.unscoped.bulk_create(new, batch_size=BATCH)
        for row in new:
            self.report.count(counter, uai_of.get(row.school_id))
        if new:
            existing = {
                (row.school_id, row.code): row
                for row in model.unscoped.filter(school_id__in=school_ids, school_year=year)
            }
        return existing

    # --- memberships ---------------------------------------------------------------------------

    def _wanted_memberships(self) -> dict[MembershipKey, tuple[int | None, list[str]]]:
        """(school id, user id, profile) -> (division id, functions)."""
        wanted: dict[MembershipKey, tuple[int | None, list[str]]] = {}
        no_functions: list[str] = []
        for key, student in self.export.students.items():
            school = self.schools[student.structure_id]
            user_id = self.user_ids[key]
            division_id = next(
                (
                    self.divisions[(school.pk, code[:30])].pk
                    for structure, code in student.divisions
                    if structure == student.structure_id
                ),
                None,
            )
            wanted[(school.pk, user_id, Profile.STUDENT)] = (division_id, no_functions)
            for link in student.relatives:
                guardian_id = self.user_ids.get(link.relative_id)
                if link.legal_rank in (1, 2) and guardian_id is not None:
                    wanted.setdefault((school.pk, guardian_id, Profile.PARENT), (None, no_functions))
        for key, staff in self.export.staff.items():
            user_id = self.user_ids[key]
            for structure, profiles in staff.profiles.items():
                served = self.schools.get(structure)
                if served is None:
                    continue
                for profile in profiles:
                    wanted[(served.pk, user_id, profile)] = (None, sorted(set(staff.functions.get(structure, []))))
        return wanted

    def write_memberships(self) -> None:
        wanted = self._wanted_memberships()
        covered_schools = {self.schools[s].pk for s in self.export.structures if s in self.schools}
        rows = Membership.unscoped.all()
        if self.report.complete and covered_schools:
            # Every membership of the export's schools: the run's people, and those it no longer lists.
            existing = _membership_rows(rows.filter(school_id__in={school.pk for school in self.schools.values()}))
        else:
            existing = _membership_rows(rows, user_ids=set(self.user_ids.values()))
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        new: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        for key, (division_id, functions) in wanted.items():
            found = existing.get(key)
            if found is None:
                new.append((*key, True, division_id, functions))
                self.report.count(f"{key[2]}_memberships_created", uai_of.get(key[0]))
                continue
            target = found._replace(
                division_id=division_id, functions=functions, active=True, ended_at=None, from_directory=True
            )
            if target != found:
                updates.append(target)
                self.report.count(f"{key[2]}_memberships_changed", uai_of.get(key[0]))
        for key, row in self._memberships_to_end(existing, wanted, covered_schools):
            updates.append(row._replace(active=False, ended_at=self.now))
            self.report.count(f"{key[2]}_memberships_ended", uai_of.get(key[0]))
        created = insert_rows(
            Membership,
            ("school_id", "user_id", "profile", "from_directory", "division_id", "functions"),
            new,
            returning=("school_id", "user_id", "profile", "id"),
        )
        update_rows(Membership, MEMBERSHIP_FIELDS, updates)
        membership_ids = {key: row.id for key, row in existing.items()}
        membership_ids.update((tuple(row[:3]), row[3]) for row in created)
        self._write_group_memberships(membership_ids)

    def _memberships_to_end(
        self,
        existing: dict[MembershipKey, MembershipRow],
        wanted: dict[MembershipKey, Any],
        covered_schools: set[int],
    ) -> list[tuple[MembershipKey, MembershipRow]]:
        """Complete import: directory memberships of the covered schools absent from it.

        Delta: the people it deletes. People are never deleted; their memberships end.
        """
        deleted_ids = set().union(
            *(self.export.deleted.get(k, set()) for k in ("Eleve", "PersRelEleve", "PersEducNat"))
        )
        known = self._directory_users().values_list("id", flat=True)
        deleted_users = set(_rows_in(known, "external_id", deleted_ids))
        if deleted_users:
            from_directory = Membership.unscoped.filter(from_directory=True)
            existing.update(_membership_rows(from_directory, user_ids=deleted_users))
        return [
            (key, row)
            for key, row in existing.items()
            if row.active
            and row.from_directory
            and key not in wanted
            and ((self.report.complete and key[0] in covered_schools) or key[1] in deleted_users)
        ]

    def _write_group_memberships(self, membership_ids: dict[MembershipKey, int]) -> None:
        """Students' teaching groups; `membership_ids` holds the run's memberships by (school, user, profile)."""
        students = {(self.schools[s.structure_id].pk, self.user_ids[key]): s for key, s in self.export.students.items()}
        memberships = {
            (school_id, user_id): membership_ids[(school_id, user_id, Profile.STUDENT)]
            for school_id, user_id in students
        }
        wanted = set()
        for (school_id, user_id), student in students.items():
            for structure, code in student.groups:
                group = self.groups.get((school_id, code[:30])) if structure in self.schools else None
                if group is not None:
                    wanted.add((school_id, group.pk, memberships[(school_id, user_id)]))
        existing = {
            (row["school_id"], row["group_id"], row["membership_id"]): row["id"]
            # Last year's groups keep their members: the year rollover archives, it does not erase.
            for row in self._select(
                GroupMembership.unscoped.filter(group__school_year=self.context.school_year).values(
                    "id", "school_id", "group_id", "membership_id"
                ),
                "membership_id",
                memberships.values(),
            )
        }
        new = list(wanted - set(existing))
        insert_rows(GroupMembership, ("school_id", "group_id", "membership_id"), new)
        stale = [pk for key, pk in existing.items() if key not in wanted]
        _delete_in(GroupMembership, stale)
        self.report.count("group_memberships_created", n=len(new))
        self.report.count("group_memberships_removed", n=len(stale))

    # --- guardianships and contacts ----------------------------------------------------------------

    def write_guardianships_and_contacts(self) -> None:
        wanted: dict[tuple[int, int, int], dict[str, Any]] = {}
        contacts: dict[tuple[int, int, str], dict[str, Any]] = {}
        for key, student in self.export.students.items():
            school_id, student_id = self.schools[student.structure_id].pk, self.user_ids[key]
            for link in student.relatives:
                guardian_id = self.user_ids.get(link.relative_id)
                if link.legal_rank in (1, 2) and guardian_id is not None:
                    wanted[(school_id, student_id, guardian_id)] = {
                        "legal_representative": True,
                        "financial": link.financial,
                        "contact": link.contact,
                        "relationship": link.relationship[:50],
                    }
                elif link.legal_rank == 0 and link.relative_id in self.export.relatives:
                    relative = self.export.relatives[link.relative_id]
                    contacts[(school_id, student_id, link.relative_id)] = {
                        "last_name": relative.last_name[:150],
                        "first_name": relative.first_name[:150],
                        "phone": relative.phone[:30],
                        "relationship": link.relationship[:50],
                    }
        student_ids = [self.user_ids[key] for key in self.export.students]
        self._sync(
            Guardianship,
            wanted,
            self._select(
                Guardianship.unscoped.values("id", "school_id", "student_id", "guardian_id", *GUARDIANSHIP_FIELDS),
                "student_id",
                student_ids,
            ),
            ("school_id", "student_id", "guardian_id"),
            label="guardianships",
        )
        self._sync(
            StudentContact,
            contacts,
            self._select(
                StudentContact.unscoped.values("id", "school_id", "student_id", "external_id", *CONTACT_FIELDS),
                "student_id",
                student_ids,
            ),
            ("school_id", "student_id", "external_id"),
            label="contacts",
        )

    def _sync(
        self,
        model: Any,
        wanted: dict[tuple[Any, ...], dict[str, Any]],
        current: Iterable[dict[str, Any]],
        key_columns: tuple[str, ...],
        label: str,
    ) -> None:
        """Make the `current` rows equal to `wanted`, both by their `key_columns`: create, update the
        fields, delete the rest."""
        existing = {tuple(row[name] for name in key_columns): row for row in current}
        value_columns = tuple(next(iter(wanted.values()), {}))
        new = [(*k, *values.values()) for k, values in wanted.items() if k not in existing]
        changed = []
        for k, values in wanted.items():
            row = existing.get(k)
            if row is not None and any(row[name] != value for name, value in values.items()):
                changed.append((row["id"], *values.values()))
        stale = [row["id"] for k, row in existing.items() if k not in wanted]
        insert_rows(model, (*key_columns, *value_columns), new)
        update_rows(model, value_columns, changed)
        _delete_in(model, stale)
        self.report.count(f"{label}_created", n=len(new))
        self.report.count(f"{label}_changed", n=len(changed))
        self.report.count(f"{label}_removed", n=len(stale))

    # --- teaching assignments --------------------------------------------------------------------

    def write_assignments(self) -> None:
        subjects = self._ensure_subjects()
        wanted: dict[tuple[int, int, int, int | None, int | None], dict[str, Any]] = {}
        for key, staff in self.export.staff.items():
            teacher_id = self.user_ids[key]
            heads = {(s, code) for s, code in staff.head_teacher_of}
            for structure, code, subject_code in staff.division_subjects:
                school = self.schools.get(structure)
                if school is None or not subject_code:
                    continue
                division = self.divisions[(school.pk, code[:30])]
                subject = subjects[(school.pk, subject_code)]
                wanted[(school.pk, teacher_id, subject.pk, division.pk, None)] = {
                    "is_head_teacher": (structure, code) in heads
                }
            for structure, code, subject_code in staff.group_subjects:
                school = self.schools.get(structure)
                if school is None or not subject_code:
                    continue
                group = self.groups[(school.pk, code[:30])]
                subject = subjects[(school.pk, subject_code)]
                wanted[(school.pk, teacher_id, subject.pk, None, group.pk)] = {"is_head_teacher": False}
        teacher_ids = [self.user_ids[key] for key in self.export.staff]
        self._sync(
            TeachingAssignment,
            wanted,
            # Services of last year's divisions and groups stay with them (the year rollover).
            self._select(
                TeachingAssignment.unscoped.filter(
                    Q(division__school_year=self.context.school_year) | Q(group__school_year=self.context.school_year)
                ).values("id", "school_id", "teacher_id", "subject_id", "division_id", "group_id", "is_head_teacher"),
                "teacher_id",
                teacher_ids,
            ),
            ("school_id", "teacher_id", "subject_id", "division_id", "group_id"),
            label="assignments",
        )

    def _ensure_subjects(self) -> dict[tuple[int, str], Subject]:
        wanted: dict[tuple[int, str], str] = {}
        for staff in self.export.staff.values():
            for structure, _code, subject_code in (*staff.division_subjects, *staff.group_subjects):
                school = self.schools.get(structure)
                if school is not None and subject_code:
                    nomenclature = self.export.subjects.get(subject_code)
                    wanted[(school.pk, subject_code)] = nomenclature.label if nomenclature else subject_code
        school_ids = {school_id for school_id, _code in wanted}
        existing = {(s.school_id, s.code): s for s in Subject.unscoped.filter(school_id__in=school_ids)}
        new = [
            Subject(school_id=school_id, code=code[:30], name=label[:150])
            for (school_id, code), label in wanted.items()
            if (school_id, code) not in existing
        ]
        Subject.unscoped.bulk_create(new, batch_size=BATCH)
        self.report.count("subjects_created", n=len(new))
        if new:
            existing = {(s.school_id, s.code): s for s in Subject.unscoped.filter(school_id__in=school_ids)}
        return existing
