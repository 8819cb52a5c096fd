"""Writes the people of the run: new accounts with a free login, the rectorat's fields of the others."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from annuaire.aaf.apply.base import BATCH, ApplierBase, rows_in
from annuaire.aaf.records import Person
from annuaire.logins import allocate_login, login_base
from annuaire.models import User
from schools.bulk import insert_rows, update_rows

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


def _taken_logins(bases: set[str]) -> set[str]:
    """The logins already given that new accounts made from `bases` could collide with."""
    if len(bases) > BATCH:  # a first import: the whole list costs less than many queries
        return set(User.objects.values_list("username", flat=True))
    taken: set[str] = set()
    for base in bases:  # one query each: a prefix search uses the index, an OR of many does not
        taken.update(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    return taken


class PeopleWriter(ApplierBase):
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
            existing = set(rows_in(known.values_list("external_id", flat=True), "external_id", lonely))
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
            existing = {row["external_id"]: row for row in rows_in(known, "external_id", people)}
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
        self.user_ids.update(dict(rows_in(known, "external_id", named - set(self.user_ids))))
