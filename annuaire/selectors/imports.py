"""The reads behind the import history pages: a school's history for its heads, every
school's health for the city.

Both have a constant query budget: a page of a school's history is two queries (count,
page), the city's view three (schools with the id of their last import, those imports, the
last refused runs) whatever the number of schools.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from annuaire.imports_display import count_labels, origin_label
from annuaire.models import ImportRun, ImportRunSchool
from schools.models import School
from schools.tenancy import cross_school

HISTORY_PER_PAGE = 20
REFUSED_RUNS_SHOWN = 20
ERRORS_SHOWN = 10
WARNINGS_SHOWN = 50
# A school whose last applied import is older than this is late.
UP_TO_DATE_DAYS = 8


def _status_badge(status: str) -> str:
    return {ImportRun.Status.APPLIED: "ok", ImportRun.Status.REFUSED: "warn"}.get(status, "off")  # type: ignore[call-overload]


def _capped(items: list[str], shown: int) -> tuple[list[str], int]:
    return items[:shown], max(0, len(items) - shown)


# --- a school's history, for its heads --------------------------------------------------------


@dataclass
class HistoryRow:
    started_at: datetime.datetime
    status: str
    status_label: str
    status_badge: str
    origin: str
    counts: list[str]
    warnings: list[str]
    more_warnings: int


def school_import_history(school: School) -> QuerySet[ImportRunSchool]:
    """The school's shares of import runs, newest first (through the scoped manager)."""
    return (
        ImportRunSchool.objects.filter(school=school)
        .select_related("run")
        .defer("run__files", "run__counts", "run__errors")
        .order_by("-run__started_at", "-run_id")
    )


def school_warnings(share: ImportRunSchool, school: School) -> list[str]:
    """The warnings of the run concerning the school: its own, and the run's that name its UAI."""
    naming = re.compile(rf"(?<![0-9A-Z]){re.escape(school.uai)}(?![0-9A-Z])")
    warnings = [*share.warnings, *(warning for warning in share.run.warnings if naming.search(warning))]
    return list(dict.fromkeys(warnings))


def history_rows(shares: Iterable[ImportRunSchool], *, school: School) -> list[HistoryRow]:
    rows = []
    for share in shares:
        run = share.run
        warnings, more = _capped(school_warnings(share, school), WARNINGS_SHOWN)
        rows.append(
            HistoryRow(
                started_at=run.started_at,
                status=run.status,
                status_label=run.get_status_display(),
                status_badge=_status_badge(run.status),
                origin=origin_label(run.origin),
                counts=count_labels(share.counts),
                warnings=warnings,
                more_warnings=more,
            )
        )
    return rows


# --- every school's last import, for the city ------------------------------------------------


class Health:
    UP_TO_DATE = "up_to_date"
    LATE = "late"
    NEVER = "never"


HEALTH_LABELS: dict[str, Promise] = {
    Health.UP_TO_DATE: _("à jour"),
    Health.LATE: _("en retard"),
    Health.NEVER: _("jamais importé"),
}
HEALTH_BADGES = {Health.UP_TO_DATE: "ok", Health.LATE: "warn", Health.NEVER: "off"}


@dataclass
class SchoolImportHealth:
    school: School
    last_import: ImportRunSchool | None
    health: str
    counts: list[str] = field(default_factory=list)

    @property
    def health_label(self) -> str:
        return str(HEALTH_LABELS[self.health])

    @property
    def health_badge(self) -> str:
        return HEALTH_BADGES[self.health]


@dataclass
class RefusedRun:
    run: ImportRun
    origin: str
    errors: list[str]
    more_errors: int


@dataclass
class CityImports:
    schools: list[SchoolImportHealth]
    refused_runs: list[RefusedRun]

    def tally(self, health: str) -> int:
        return sum(1 for row in self.schools if row.health == health)

    @property
    def up_to_date(self) -> int:
        return self.tally(Health.UP_TO_DATE)

    @property
    def late(self) -> int:
        return self.tally(Health.LATE)

    @property
    def never(self) -> int:
        return self.tally(Health.NEVER)


def health_of(last_import: ImportRunSchool | None, now: datetime.datetime) -> str:
    if last_import is None:
        return Health.NEVER
    if now - last_import.run.started_at < datetime.timedelta(days=UP_TO_DATE_DAYS):
        return Health.UP_TO_DATE
    return Health.LATE


def city_imports(*, now: datetime.datetime | None = None) -> CityImports:
    """Every school with its last applied import and health, and the last refused runs.

    Three queries whatever the number of schools. Reads across schools on purpose: the
    import history holds counts and file names, never a pupil's personal data.
    """
    now = now or timezone.now()
    with cross_school():
        last_applied = (
            ImportRunSchool.unscoped.filter(school=OuterRef("pk"), run__status=ImportRun.Status.APPLIED)
            .order_by("-run__started_at", "-run_id")
            .values("pk")[:1]
        )
        schools = list(School.objects.annotate(last_import_id=Subquery(last_applied)).order_by("name", "uai"))
        wanted = [school.last_import_id for school in schools if school.last_import_id is not None]  # type: ignore[attr-defined]
        shares = (
            ImportRunSchool.unscoped.select_related("run")
            .defer("run__files", "run__warnings", "run__errors")
            .in_bulk(wanted)
            if wanted
            else {}
        )
        rows = []
        for school in schools:
            share = shares.get(school.last_import_id)  # type: ignore[attr-defined]
            rows.append(
                SchoolImportHealth(
                    school=school,
                    last_import=share,
                    health=health_of(share, now),
                    counts=count_labels(share.counts) if share is not None else [],
                )
            )
        refused = []
        for run in ImportRun.objects.filter(status=ImportRun.Status.REFUSED).order_by("-started_at", "-pk")[
            :REFUSED_RUNS_SHOWN
        ]:
            errors, more = _capped(list(run.errors), ERRORS_SHOWN)
            refused.append(RefusedRun(run=run, origin=origin_label(run.origin), errors=errors, more_errors=more))
    return CityImports(schools=rows, refused_runs=refused)
