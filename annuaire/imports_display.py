"""The directory import history as people read it: counters in French words, and the two reads
behind its pages (a school's history for its heads, every school's health for the city).

The importer counts with keys (`student_memberships_created`, `accounts_created`...);
`COUNT_LABELS` is the one place that says them in French. Both reads have a constant query
budget: a page of a school's history is two queries (count, page), the city's view three
(schools with the id of their last import, those imports, the last refused runs) whatever
the number of schools.
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
from django.utils.translation import ngettext_lazy

from annuaire.models import ImportRun, ImportRunSchool
from schools.models import School
from schools.tenancy import cross_school

HISTORY_PER_PAGE = 20
REFUSED_RUNS_SHOWN = 20
ERRORS_SHOWN = 10
WARNINGS_SHOWN = 50
# A school whose last applied import is older than this is late.
UP_TO_DATE_DAYS = 8


# Counter key of the importer -> French words, in the order they are shown.
COUNT_LABELS: dict[str, Promise] = {
    "schools_created": ngettext_lazy("%(count)s établissement créé", "%(count)s établissements créés", "count"),
    "schools_changed": ngettext_lazy(
        "%(count)s fiche d’établissement mise à jour", "%(count)s fiches d’établissement mises à jour", "count"
    ),
    "student_memberships_created": ngettext_lazy("%(count)s élève ajouté", "%(count)s élèves ajoutés", "count"),
    "student_memberships_changed": ngettext_lazy("%(count)s élève mis à jour", "%(count)s élèves mis à jour", "count"),
    "student_memberships_ended": ngettext_lazy("%(count)s élève sorti", "%(count)s élèves sortis", "count"),
    "parent_memberships_created": ngettext_lazy(
        "%(count)s responsable légal ajouté", "%(count)s responsables légaux ajoutés", "count"
    ),
    "parent_memberships_changed": ngettext_lazy(
        "%(count)s responsable légal mis à jour", "%(count)s responsables légaux mis à jour", "count"
    ),
    "parent_memberships_ended": ngettext_lazy(
        "%(count)s responsable légal sorti", "%(count)s responsables légaux sortis", "count"
    ),
    "teacher_memberships_created": ngettext_lazy(
        "%(count)s enseignant ajouté", "%(count)s enseignants ajoutés", "count"
    ),
    "teacher_memberships_changed": ngettext_lazy(
        "%(count)s enseignant mis à jour", "%(count)s enseignants mis à jour", "count"
    ),
    "teacher_memberships_ended": ngettext_lazy("%(count)s enseignant sorti", "%(count)s enseignants sortis", "count"),
    "staff_memberships_created": ngettext_lazy("%(count)s personnel ajouté", "%(count)s personnels ajoutés", "count"),
    "staff_memberships_changed": ngettext_lazy(
        "%(count)s personnel mis à jour", "%(count)s personnels mis à jour", "count"
    ),
    "staff_memberships_ended": ngettext_lazy("%(count)s personnel sorti", "%(count)s personnels sortis", "count"),
    "direction_memberships_created": ngettext_lazy(
        "%(count)s membre de la direction ajouté", "%(count)s membres de la direction ajoutés", "count"
    ),
    "direction_memberships_changed": ngettext_lazy(
        "%(count)s membre de la direction mis à jour", "%(count)s membres de la direction mis à jour", "count"
    ),
    "direction_memberships_ended": ngettext_lazy(
        "%(count)s membre de la direction sorti", "%(count)s membres de la direction sortis", "count"
    ),
    "accounts_created": ngettext_lazy("%(count)s compte créé", "%(count)s comptes créés", "count"),
    "accounts_changed": ngettext_lazy("%(count)s compte mis à jour", "%(count)s comptes mis à jour", "count"),
    "divisions_created": ngettext_lazy("%(count)s classe créée", "%(count)s classes créées", "count"),
    "divisions_changed": ngettext_lazy("%(count)s classe mise à jour", "%(count)s classes mises à jour", "count"),
    "groups_created": ngettext_lazy("%(count)s groupe créé", "%(count)s groupes créés", "count"),
    "group_memberships_created": ngettext_lazy(
        "%(count)s inscription dans un groupe", "%(count)s inscriptions dans des groupes", "count"
    ),
    "group_memberships_removed": ngettext_lazy(
        "%(count)s inscription retirée d’un groupe", "%(count)s inscriptions retirées de groupes", "count"
    ),
    "subjects_created": ngettext_lazy("%(count)s matière créée", "%(count)s matières créées", "count"),
    "mefs_created": ngettext_lazy("%(count)s niveau (MEF) créé", "%(count)s niveaux (MEF) créés", "count"),
    "mefs_changed": ngettext_lazy("%(count)s niveau (MEF) mis à jour", "%(count)s niveaux (MEF) mis à jour", "count"),
    "assignments_created": ngettext_lazy(
        "%(count)s service d’enseignement créé", "%(count)s services d’enseignement créés", "count"
    ),
    "assignments_changed": ngettext_lazy(
        "%(count)s service d’enseignement mis à jour", "%(count)s services d’enseignement mis à jour", "count"
    ),
    "assignments_removed": ngettext_lazy(
        "%(count)s service d’enseignement retiré", "%(count)s services d’enseignement retirés", "count"
    ),
    "guardianships_created": ngettext_lazy(
        "%(count)s lien de responsabilité légale créé", "%(count)s liens de responsabilité légale créés", "count"
    ),
    "guardianships_changed": ngettext_lazy(
        "%(count)s lien de responsabilité légale mis à jour",
        "%(count)s liens de responsabilité légale mis à jour",
        "count",
    ),
    "guardianships_removed": ngettext_lazy(
        "%(count)s lien de responsabilité légale retiré", "%(count)s liens de responsabilité légale retirés", "count"
    ),
    "contacts_created": ngettext_lazy(
        "%(count)s contact d’élève ajouté", "%(count)s contacts d’élèves ajoutés", "count"
    ),
    "contacts_changed": ngettext_lazy(
        "%(count)s contact d’élève mis à jour", "%(count)s contacts d’élèves mis à jour", "count"
    ),
    "contacts_removed": ngettext_lazy(
        "%(count)s contact d’élève retiré", "%(count)s contacts d’élèves retirés", "count"
    ),
    "relatives_without_student": ngettext_lazy(
        "%(count)s responsable sans élève dans l’export, ignoré",
        "%(count)s responsables sans élève dans l’export, ignorés",
        "count",
    ),
    "read_EtabEducNat": ngettext_lazy(
        "%(count)s fiche d’établissement lue", "%(count)s fiches d’établissement lues", "count"
    ),
    "read_MatiereEducNat": ngettext_lazy("%(count)s fiche de matière lue", "%(count)s fiches de matière lues", "count"),
    "read_MefEducNat": ngettext_lazy(
        "%(count)s fiche de niveau (MEF) lue", "%(count)s fiches de niveau (MEF) lues", "count"
    ),
    "read_Eleve": ngettext_lazy("%(count)s fiche d’élève lue", "%(count)s fiches d’élève lues", "count"),
    "read_PersRelEleve": ngettext_lazy(
        "%(count)s fiche de responsable lue", "%(count)s fiches de responsable lues", "count"
    ),
    "read_PersEducNat": ngettext_lazy(
        "%(count)s fiche de personnel lue", "%(count)s fiches de personnel lues", "count"
    ),
}

ORIGIN_LABELS: dict[str, Promise] = {
    "drop-folder": _("dépôt automatique"),
    "command": _("commande"),
    "ldap": _("annuaire LDAP"),
    "demo": _("données de démonstration"),
}


def count_labels(counts: dict[str, int]) -> list[str]:
    """The non-zero counters in French words, in `COUNT_LABELS` order; an unknown key as it is."""
    known = [str(label % {"count": counts[key]}) for key, label in COUNT_LABELS.items() if counts.get(key)]
    unknown = [f"{key} : {count}" for key, count in sorted(counts.items()) if key not in COUNT_LABELS and count]
    return known + unknown


def origin_label(origin: str) -> str:
    label = ORIGIN_LABELS.get(origin)
    return str(label) if label is not None else origin


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
