"""What an import of the timetable tells the head: counts, errors by file and line, refusal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import ngettext

# --- The report ----------------------------------------------------------------------------------


@dataclass
class TimetableReport:
    uai: str
    files: list[str]
    dry_run: bool
    refused: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def rows_written(self) -> int:
        return sum(self.counts.values())

    def refuse(self, errors: Iterable[object]) -> TimetableReport:
        self.refused = True
        self.errors.extend(str(error) for error in errors)
        self.counts.clear()
        return self

    def count_lines(self) -> list[str]:
        """The counts in French words, in a fixed order, leaving out the zeros."""
        return [_count_label(key, self.counts[key]) for key in COUNT_KEYS if self.counts.get(key)]


COUNT_KEYS = (
    "weekly_lessons_created",
    "weekly_lessons_updated",
    "weekly_lessons_deleted",
    "weekly_lessons_retired",
    "lessons_created",
    "lessons_updated",
    "lessons_deleted",
    "subjects_created",
    "rooms_created",
    "slots_created",
    "divisions_created",
    "groups_created",
    "group_divisions_created",
    "assignments_created",
)


def _count_label(key: str, count: int) -> str:
    labels = {
        "weekly_lessons_created": ngettext(
            "%(count)s cours hebdomadaire créé", "%(count)s cours hebdomadaires créés", count
        ),
        "weekly_lessons_updated": ngettext(
            "%(count)s cours hebdomadaire mis à jour", "%(count)s cours hebdomadaires mis à jour", count
        ),
        "weekly_lessons_deleted": ngettext(
            "%(count)s cours hebdomadaire supprimé", "%(count)s cours hebdomadaires supprimés", count
        ),
        "weekly_lessons_retired": ngettext(
            "%(count)s cours hebdomadaire retiré (ses séances passées sont gardées)",
            "%(count)s cours hebdomadaires retirés (leurs séances passées sont gardées)",
            count,
        ),
        "lessons_created": ngettext("%(count)s séance créée", "%(count)s séances créées", count),
        "lessons_updated": ngettext("%(count)s séance mise à jour", "%(count)s séances mises à jour", count),
        "lessons_deleted": ngettext("%(count)s séance supprimée", "%(count)s séances supprimées", count),
        "subjects_created": ngettext("%(count)s matière créée", "%(count)s matières créées", count),
        "rooms_created": ngettext("%(count)s salle créée", "%(count)s salles créées", count),
        "slots_created": ngettext("%(count)s créneau créé", "%(count)s créneaux créés", count),
        "divisions_created": ngettext("%(count)s classe créée", "%(count)s classes créées", count),
        "groups_created": ngettext("%(count)s groupe créé", "%(count)s groupes créés", count),
        "group_divisions_created": ngettext(
            "%(count)s classe rattachée à un groupe", "%(count)s classes rattachées à des groupes", count
        ),
        "assignments_created": ngettext(
            "%(count)s service d'enseignement créé", "%(count)s services d'enseignement créés", count
        ),
    }
    return labels[key] % {"count": count}


class Refused(Exception):
    """Leaves the transaction so that it rolls back; the report already says why."""
