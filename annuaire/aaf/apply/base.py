"""What every writer of the import shares: the run's state, batched reads and deletes, the diff."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from annuaire.aaf.check import Context
from annuaire.aaf.read import Export
from annuaire.aaf.report import ImportReport
from annuaire.models import Division, TeachingGroup, User
from schools.bulk import insert_rows, update_rows
from schools.models import School

BATCH = 2000


class RollBack(Exception):
    """Leaves the transaction of a dry run without writing anything."""


def batches(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def rows_in(queryset: Any, field_name: str, values: Iterable[Any]) -> Iterator[Any]:
    """Rows whose `field_name` is among `values`, asked in batches (a query has a bounded size)."""
    for batch in batches(list(values)):
        yield from queryset.filter(**{f"{field_name}__in": batch})


def delete_in(model: Any, pks: list[int]) -> None:
    for batch in batches(pks):
        model.unscoped.filter(pk__in=batch).delete()


class ApplierBase:
    """The state the writers share: the export, the database side, the report and what was written."""

    # Filled by `StructureWriter.write_divisions_and_groups`: this year's rows by (school id, code).
    divisions: dict[tuple[int, str], Division]
    groups: dict[tuple[int, str], TeachingGroup]

    def __init__(self, export: Export, context: Context, report: ImportReport) -> None:
        self.export = export
        self.context = context
        self.report = report
        self.now = timezone.now()
        self.schools: dict[str, School] = dict(context.schools)
        self.user_ids: dict[str, int] = {}  # external id -> user id

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
            yield from rows_in(queryset, field_name, wanted)
            return
        for row in queryset.filter(school_id__in=school_ids).iterator(chunk_size=BATCH):
            if (row[field_name] if isinstance(row, dict) else getattr(row, field_name)) in wanted:
                yield row

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
        delete_in(model, stale)
        self.report.count(f"{label}_created", n=len(new))
        self.report.count(f"{label}_changed", n=len(changed))
        self.report.count(f"{label}_removed", n=len(stale))
