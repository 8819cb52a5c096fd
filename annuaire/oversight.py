"""Oversight reads: one school's overview, and the city console across every school.

Only counts leave these functions: never a name, grade or message of a student or a family.
Both have a constant query budget: the overview does not grow with the school's members,
the console does not grow with the number of schools (memberships are aggregated in one
grouped query, merged in Python with the list of schools).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Membership, Profile
from schools import modules
from schools.models import School, SchoolService, Wave
from schools.selectors import module_state, service_states
from schools.tenancy import cross_school, school_scope


def rate(part: int, whole: int) -> float | None:
    """A share between 0 and 1, or None when there is nobody to count."""
    return part / whole if whole else None


def percent(value: float | None) -> float | None:
    return None if value is None else value * 100


class ActivationFigures:
    """Mixin: the activation rate and percent of a figure holding two counts.

    A class names its count of activated accounts and its count of members in
    `activated_field` and `members_field`.
    """

    activated_field: ClassVar[str] = "activated_people"
    members_field: ClassVar[str] = "people"

    @property
    def activation_rate(self) -> float | None:
        return rate(getattr(self, self.activated_field), getattr(self, self.members_field))

    @property
    def activation_percent(self) -> float | None:
        return percent(self.activation_rate)


@dataclass
class ProfileFigures(ActivationFigures):
    activated_field: ClassVar[str] = "activated"
    members_field: ClassVar[str] = "members"

    profile: str
    label: str | Promise
    members: int = 0
    activated: int = 0


@dataclass
class ServiceFigure:
    module: modules.Module
    state: str
    state_label: str | Promise
    external_url: str


@dataclass
class SchoolOverview(ActivationFigures):
    school: School
    profiles: list[ProfileFigures]
    people: int
    activated_people: int
    divisions: int
    services: list[ServiceFigure]


def _activated() -> Q:
    return Q(user__activated_at__isnull=False)


def profile_figures(rows: dict[str, Any]) -> list[ProfileFigures]:
    """One figure per profile, in the profiles' order, from `activation_by_profile`'s rows (0 for a profile absent)."""
    return [
        ProfileFigures(
            profile=profile.value,
            label=profile.label,
            members=rows.get(profile.value, {}).get("members", 0),
            activated=rows.get(profile.value, {}).get("activated", 0),
        )
        for profile in Profile
    ]


def school_services(school: School) -> list[ServiceFigure]:
    """Every registered module with its state in this school (one query)."""
    states = service_states(school)
    figures = []
    for module in modules.all_modules():
        state, url = module_state(states, module)
        figures.append(ServiceFigure(module, state, SchoolService.State(state).label, url))
    return figures


def activation_by_profile(school: School) -> dict[str, dict[str, int]]:
    """Per profile: active members of the school and, among them, activated accounts (one query).

    Runs inside the school's scope; a profile without members is absent.
    """
    rows = (
        Membership.objects.filter(school=school, active=True)
        .order_by()
        .values("profile")
        .annotate(members=Count("id"), activated=Count("id", filter=_activated()))
    )
    return {row["profile"]: {"members": row["members"], "activated": row["activated"]} for row in rows}


def overview_of(school: School) -> SchoolOverview:
    """A school's identity, members and activation per profile, divisions and services.

    A constant number of queries whatever the size of the school (the template reads the wave).
    """
    with school_scope(school):
        per_profile = activation_by_profile(school)
        totals = Membership.objects.filter(school=school, active=True).aggregate(
            people=Count("user", distinct=True), activated=Count("user", distinct=True, filter=_activated())
        )
        divisions = Division.objects.filter(school=school).count()
        services = school_services(school)
    return SchoolOverview(
        school=school,
        profiles=profile_figures(per_profile),
        people=totals["people"],
        activated_people=totals["activated"],
        divisions=divisions,
        services=services,
    )


# --- The city console ---------------------------------------------------------------


@dataclass(frozen=True)
class ConsoleColumn:
    key: str  # the value of the `tri` query parameter
    label: str | Promise
    numeric: bool = False


# The slug of each profile in the console's `tri` parameter (French, as the URL is).
PROFILE_SORT_KEYS = {
    Profile.STUDENT: "eleves",
    Profile.PARENT: "responsables",
    Profile.TEACHER: "enseignants",
    Profile.STAFF: "personnels",
    Profile.DIRECTION: "direction",
}

PROFILE_COLUMN_LABELS = {
    Profile.STUDENT: _("Élèves"),
    Profile.PARENT: _("Responsables légaux"),
    Profile.TEACHER: _("Enseignants"),
    Profile.STAFF: _("Personnels"),
    Profile.DIRECTION: _("Direction"),
}

CONSOLE_COLUMNS: tuple[ConsoleColumn, ...] = (
    ConsoleColumn("uai", _("UAI")),
    ConsoleColumn("nom", _("Nom")),
    ConsoleColumn("type", _("Type")),
    ConsoleColumn("vague", _("Vague")),
    ConsoleColumn("statut", _("Statut")),
    *(ConsoleColumn(PROFILE_SORT_KEYS[profile], PROFILE_COLUMN_LABELS[profile], numeric=True) for profile in Profile),
    ConsoleColumn("activation", _("Taux d'activation"), numeric=True),
)
SORT_KEYS = frozenset(column.key for column in CONSOLE_COLUMNS)
DEFAULT_SORT = "nom"


@dataclass
class ConsoleRow(ActivationFigures):
    school: School
    counts: dict[str, int] = field(default_factory=dict)
    people: int = 0
    activated_people: int = 0

    @property
    def profile_counts(self) -> list[int]:
        """Counts in the order of the columns (the Profile order)."""
        return [self.counts.get(profile.value, 0) for profile in Profile]


def parse_sort(value: str | None) -> tuple[str, bool] | None:
    """`tri` -> (column key, descending), or None if the value is not a known column."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in SORT_KEYS:
        return None
    return key, descending


def _text_key(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _sort_value(row: ConsoleRow, key: str) -> Any:
    school = row.school
    if key == "uai":
        return school.uai
    if key == "nom":
        return _text_key(school.name)
    if key == "type":
        return _text_key(str(school.get_kind_display()))
    if key == "vague":
        return school.wave.number if school.wave else None
    if key == "statut":
        return _text_key(str(school.get_status_display()))
    if key == "activation":
        return row.activation_rate
    for profile, slug in PROFILE_SORT_KEYS.items():
        if key == slug:
            return row.counts.get(profile.value, 0)
    raise ValueError(key)


def sort_rows(rows: list[ConsoleRow], key: str, descending: bool = False) -> list[ConsoleRow]:
    """Sort by a whitelisted column; rows without a value (no wave, nobody to count) come last."""
    by_name = sorted(rows, key=lambda row: (_text_key(row.school.name), row.school.uai))
    present = [row for row in by_name if _sort_value(row, key) is not None]
    missing = [row for row in by_name if _sort_value(row, key) is None]
    present.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    return present + missing


def console_schools(*, wave: Wave | None = None, kind: str | None = None) -> QuerySet[School]:
    schools = School.objects.select_related("wave")
    if wave is not None:
        schools = schools.filter(wave=wave)
    if kind:
        schools = schools.filter(kind=kind)
    return schools


def city_console_rows(
    *, wave: Wave | None = None, kind: str | None = None, sort: str = DEFAULT_SORT, descending: bool = False
) -> list[ConsoleRow]:
    """Every establishment (filtered by wave and kind) with its members per profile and activation rate.

    Two queries whatever the number of schools: the schools with their wave, and the
    memberships of all of them aggregated per school. Reads across schools on purpose.
    """
    schools = console_schools(wave=wave, kind=kind)
    rows = {school.pk: ConsoleRow(school) for school in schools}
    if rows:
        with cross_school():
            aggregates = (
                Membership.unscoped.filter(active=True, school__in=schools.values("pk"))
                .order_by()
                .values("school_id")
                .annotate(
                    people=Count("user", distinct=True),
                    activated=Count("user", distinct=True, filter=_activated()),
                    **{f"n_{profile.value}": Count("id", filter=Q(profile=profile.value)) for profile in Profile},
                )
            )
            for grouped in aggregates:
                aggregate: dict[str, Any] = dict(grouped)
                row = rows.get(aggregate["school_id"])
                if row is None:
                    continue
                row.people = aggregate["people"]
                row.activated_people = aggregate["activated"]
                row.counts = {profile.value: aggregate[f"n_{profile.value}"] for profile in Profile}
    return sort_rows(list(rows.values()), sort, descending)
