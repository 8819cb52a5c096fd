"""What an import tells: counts per school and in all, warnings, errors; and its line in the history."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from annuaire.models import ImportRun, ImportRunSchool
from schools.models import School

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


def record_run(report: ImportReport, origin: str) -> None:
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
