"""Heavy reads on a read replica: a second real connection, its routing and its school scope."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from annuaire.models import Subject
from schools.replica import REPLICA, ReplicaRouter, heavy_reads
from schools.tenancy import school_scope
from tests.conftest import requires_postgres
from tests.factories import SchoolFactory, SubjectFactory


def test_without_a_replica_heavy_reads_stay_on_the_primary() -> None:
    assert REPLICA not in settings.DATABASES
    with heavy_reads():
        assert ReplicaRouter().db_for_read(Subject) is None
    assert ReplicaRouter().allow_migrate(REPLICA, "annuaire") is False
    assert ReplicaRouter().allow_migrate("default", "annuaire") is True


ROOT = Path(__file__).resolve().parents[2]
# Run by a separate process whose settings declare the replica (DATABASE_REPLICA_URL): two real
# connections, to the same test database here as a streaming replica would be to its primary.
PROBE = """
import json, sys
import django
django.setup()
from django.db import connections
from annuaire.models import Subject
from schools.models import School
from schools.replica import heavy_reads
from schools.tenancy import school_scope

school = School.objects.get(pk=int(sys.argv[1]))
seen = {}
with school_scope(school), heavy_reads():
    subjects = Subject.objects.filter(school=school)
    seen["read_from"] = subjects.db
    seen["codes"] = sorted(s.code for s in subjects)
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT current_setting('ent.school_ids', true)")
        seen["replica_scope"] = cursor.fetchone()[0]
    created = Subject.objects.create(school=school, code="HIST", name="Histoire")
    seen["written_to"] = created._state.db
with school_scope(school):
    seen["outside"] = Subject.objects.filter(school=school).db
print(json.dumps(seen))
"""


@requires_postgres()
@pytest.mark.django_db(transaction=True)
def test_heavy_reads_go_to_the_replica_with_the_school_scope_and_writes_stay_on_the_primary() -> None:
    school, other = SchoolFactory(), SchoolFactory()
    SubjectFactory(school=school, code="MATHS")
    SubjectFactory(school=other, code="FRANC")
    database = connections["default"].settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url, "DJANGO_SETTINGS_MODULE": "ent.settings"}

    probe = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", PROBE, str(school.pk)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen == {
        "read_from": REPLICA,
        "codes": ["MATHS"],
        "replica_scope": str(school.pk),
        "written_to": "default",
        "outside": "default",
    }
    with school_scope(school):
        assert Subject.objects.filter(school=school, code="HIST").exists()
