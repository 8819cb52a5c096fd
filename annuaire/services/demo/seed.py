"""Seeding the demo: its AAF export imported, then what the directory does not carry, then the steps."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from annuaire.aaf.importer import import_aaf
from annuaire.aaf.report import WRITE_SUFFIXES
from annuaire.models import CharterAcceptance, Subject, User
from annuaire.services.demo.export import write_export
from annuaire.services.demo.plan import Plan, build_plan
from annuaire.services.demo.steps import DemoReport, DemoWorld, demo_steps
from annuaire.services.demo.world import (
    CITY_ADMIN,
    DEMO_ACADEMY,
    DEMO_CHARTER,
    DEMO_EMAIL_DOMAIN,
    DEMO_IMPORT_ORIGIN,
    DEMO_PASSWORD,
    DEMO_SCHOOL_YEAR,
    DEMO_SCHOOLS,
    DEMO_SEED,
    SUBJECT_NAMES,
    demo_accounts,
)
from schools.models import School, Wave
from schools.tenancy import cross_school


def _complete_schools(schools: dict[str, School]) -> int:
    """Waves, status, address and charter: the city's side of a school, set once."""
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    new_waves = [Wave(number=s.wave_number, name=s.wave_name) for s in DEMO_SCHOOLS if s.wave_number not in waves]
    Wave.objects.bulk_create(new_waves)
    waves = {wave.number: wave for wave in Wave.objects.filter(number__in=[s.wave_number for s in DEMO_SCHOOLS])}
    completed = 0
    for spec in DEMO_SCHOOLS:
        school = schools[spec.key]
        wanted: dict[str, Any] = {}
        if school.status == School.Status.PREPARING:
            wanted["status"] = School.Status.OPEN
        if school.wave_id is None:
            wanted["wave"] = waves[spec.wave_number]
        if not school.address:
            wanted.update(address=spec.address, postal_code=spec.postal_code, city="Paris")
        if not school.charter:
            wanted["charter"] = DEMO_CHARTER
        if wanted:
            for name, value in wanted.items():
                setattr(school, name, value)
            school.save(update_fields=list(wanted))
            completed += 1
    return len(new_waves) + completed


def _complete_subjects(schools: dict[str, School]) -> dict[str, int]:
    """The subjects' short labels, which the directory does not carry."""
    key_of = {school.pk: key for key, school in schools.items()}
    subjects = []
    for subject in Subject.unscoped.filter(school_id__in=key_of, short_name="", code__in=list(SUBJECT_NAMES)):
        subject.short_name = SUBJECT_NAMES[subject.code][1]
        subjects.append(subject)
    Subject.unscoped.bulk_update(subjects, ["short_name"])
    return {"libellés courts des matières": len(subjects)}


def _complete_accounts(plan: Plan, password: str) -> tuple[dict[str, int], dict[str, User]]:
    """The fixed demo identifiers, the activated accounts and the city admin (not in the AAF)."""
    users = {
        user.external_id: user
        for user in User.objects.filter(external_source=DEMO_ACADEMY, external_id__in=list(plan.people))
    }
    renamed = [
        user
        for external_id, user in users.items()
        if plan.people[external_id].username and user.username != plan.people[external_id].username
    ]
    for user in renamed:
        user.username = plan.people[user.external_id].username
    User.objects.bulk_update(renamed, ["username"])
    to_activate = [user for key, user in users.items() if plan.people[key].activated and user.activated_at is None]
    city_admin_missing = not User.objects.filter(username=CITY_ADMIN.username).exists()
    # One hash for every activated account: hashing each of them would take minutes.
    password_hash = make_password(password) if to_activate or city_admin_missing else ""
    now = timezone.now()
    for user in to_activate:
        user.password, user.activated_at = password_hash, now
    User.objects.bulk_update(to_activate, ["password", "activated_at"], batch_size=500)
    if city_admin_missing:
        User.objects.create(
            username=CITY_ADMIN.username,
            first_name=CITY_ADMIN.first_name,
            last_name=CITY_ADMIN.last_name,
            email=f"{CITY_ADMIN.username}@{DEMO_EMAIL_DOMAIN}",
            is_city_admin=True,
            password=password_hash,
            activated_at=now,
        )
    counts = {
        "identifiants de démonstration": len(renamed),
        "comptes activés": len(to_activate),
        "administration de la Ville": int(city_admin_missing),
    }
    return counts, users


def _accept_charters(plan: Plan, schools: dict[str, School], users: dict[str, User]) -> int:
    """Activated accounts have accepted the charter of each of their schools."""
    have = set(
        CharterAcceptance.unscoped.filter(school_id__in=[s.pk for s in schools.values()]).values_list(
            "school_id", "user_id"
        )
    )
    pairs = {
        (schools[key].pk, users[person].pk)
        for (key, person, _profile) in plan.memberships
        if plan.people[person].activated and person in users
    }
    rows = [CharterAcceptance(school_id=s, user_id=u) for s, u in sorted(pairs - have)]
    CharterAcceptance.unscoped.bulk_create(rows, batch_size=500)
    return len(rows)


class DemoImportError(Exception):
    """The demo's own AAF export was refused by the importer (a bug of the demo)."""


def seed_demo_world(*, password: str = DEMO_PASSWORD, run_steps: bool = True) -> DemoReport:
    """Import the demo's AAF export, complete what the directory does not carry, then run each
    module's demo step; returns what was written."""
    plan = build_plan()
    report = DemoReport(accounts=demo_accounts())
    with transaction.atomic(), cross_school(), tempfile.TemporaryDirectory(prefix="ent-demo-aaf-") as folder:
        write_export(plan, Path(folder))
        imported = import_aaf(paths=[folder], origin=DEMO_IMPORT_ORIGIN)
        if imported.refused:
            raise DemoImportError("\n".join(imported.errors))
        report.imported = {key: n for key, n in imported.totals.items() if key.endswith(WRITE_SUFFIXES) and n}
        report.import_run_id = imported.run_id
        by_uai = School.objects.in_bulk([s.uai for s in DEMO_SCHOOLS], field_name="uai")
        schools = {spec.key: by_uai[spec.uai] for spec in DEMO_SCHOOLS}
        report.add({"vagues et fiches d'établissement": _complete_schools(schools)})
        report.add(_complete_subjects(schools))
        counts, users = _complete_accounts(plan, password)
        report.add(counts)
        report.add({"chartes acceptées": _accept_charters(plan, schools, users)})
    if run_steps:
        for name, step in demo_steps():
            rng = random.Random(f"{DEMO_SEED}-{name}")  # noqa: S311  (reproducible data, not secrets)
            world = DemoWorld(schools=schools, school_year=DEMO_SCHOOL_YEAR, rng=rng)
            with transaction.atomic():
                report.add(step(world))
    return report
