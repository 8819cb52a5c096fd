"""Writes memberships (begun, changed, ended; never a local one) and students' teaching groups."""

from __future__ import annotations

import datetime
import functools
import json
from typing import Any, NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

from annuaire.aaf.apply.base import BATCH, ApplierBase, delete_in, rows_in
from annuaire.models import GroupMembership, Membership, Profile
from schools.bulk import insert_rows, update_rows

MEMBERSHIP_FIELDS = ("division_id", "functions", "active", "ended_at", "from_directory")


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
    source = rows.iterator(chunk_size=BATCH) if user_ids is None else rows_in(rows, "user_id", user_ids)
    return {
        (school_id, user_id, profile): MembershipRow(pk, division_id, _functions(functions), *rest)
        for school_id, user_id, profile, pk, division_id, functions, *rest in source
    }


class MembershipWriter(ApplierBase):
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
        deleted_users = set(rows_in(known, "external_id", deleted_ids))
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
        delete_in(GroupMembership, stale)
        self.report.count("group_memberships_created", n=len(new))
        self.report.count("group_memberships_removed", n=len(stale))
