"""The portal behind a real PgBouncer in transaction mode: it works, no school scope leaks, and
row-level security still holds.

In transaction mode the next client gets the server connection the previous one used; a
session setting left there (the row-level security scope) would restrict, or open, that
client's rows. With `DATABASE_POOLER=pgbouncer-transaction` the portal keeps none there and
gives each transaction its scope instead. The portal connects as an ordinary role, as in
production: a superuser would pass through row-level security.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.conftest import requires_postgres
from tests.factories import SchoolFactory, SubjectFactory
from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

pytestmark = [
    requires_postgres(),
    pytest.mark.skipif(not Path(PGBOUNCER).exists(), reason="needs PgBouncer (Debian's pgbouncer package)"),
]

# A request of the portal and, in the middle of it, a second client of the same pooled server
# connection asking what school scope it finds there; the unscoped reads count what the database
# itself lets through, in autocommit and inside a transaction whose scope changes.
CLIENT = """
import json, sys
import django
django.setup()
import psycopg
from django.conf import settings
from django.db import transaction
from annuaire.models import Subject
from schools.models import School
from schools.tenancy import cross_school, school_scope

school = School.objects.get(pk=int(sys.argv[1]))
database = settings.DATABASES["default"]
with school_scope(school):
    codes = sorted(s.code for s in Subject.objects.filter(school=school).iterator(chunk_size=2))
    walled = Subject.unscoped.count()
    with transaction.atomic():
        walled_in_transaction = Subject.unscoped.count()
        with cross_school():
            opened_in_transaction = Subject.unscoped.count()
        walled_again = Subject.unscoped.count()
    with psycopg.connect(host=database["HOST"], port=database["PORT"], user=database["USER"],
                         dbname=database["NAME"], autocommit=True) as other:
        found = other.execute("SELECT current_setting('ent.school_ids', true)").fetchone()[0]
print(json.dumps({
    "codes": codes,
    "scope_found_by_next_client": found or "",
    "unscoped_counts": [walled, walled_in_transaction, opened_in_transaction, walled_again],
    "unscoped_count_outside": Subject.unscoped.count(),
}))
"""
POOLED_ROLE = "ent_pooled_probe"


@pytest.fixture
def pgbouncer() -> Iterator[int]:
    """PgBouncer in transaction mode with one server connection, in front of the test server."""
    database = connections["default"].settings_dict
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="ent-pgbouncer-"))
    folder.chmod(0o777)  # PgBouncer refuses to run as root: it may run as postgres and write here
    (folder / "users.txt").write_text(f'"{POOLED_ROLE}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 1\nmax_client_conn = 20\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    for path in folder.iterdir():
        path.chmod(0o666)
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
    server = subprocess.Popen([PGBOUNCER, *as_user, str(folder / "pgbouncer.ini")])  # noqa: S603
    try:
        wait_until_listening(server, port, "PgBouncer")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pooled_role() -> Iterator[None]:
    """An ordinary role (no superuser, no bypass of row-level security) for the portal behind PgBouncer."""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE ROLE {POOLED_ROLE} LOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {POOLED_ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {POOLED_ROLE}")
    yield
    with connections["default"].cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {POOLED_ROLE}")
        cursor.execute(f"DROP ROLE {POOLED_ROLE}")


def run_client(port: int, school_id: int, pooler: str) -> dict[str, object]:
    database = connections["default"].settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent.settings",
        "DATABASE_URL": f"postgres://{POOLED_ROLE}@127.0.0.1:{port}/{database['NAME']}",
        "DATABASE_POOLER": pooler,
    }
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", CLIENT, str(school_id)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.django_db(transaction=True)
def test_behind_pgbouncer_in_transaction_mode_no_scope_is_left_behind_and_the_database_still_walls(
    pooled_role: None, pgbouncer: int
) -> None:
    school, other = SchoolFactory(), SchoolFactory()
    for code in ("ANGL", "FRANC", "HIST", "MATHS", "SVT"):
        SubjectFactory(school=school, code=code)
    SubjectFactory.create_batch(3, school=other)

    assert run_client(pgbouncer, school.pk, "pgbouncer-transaction") == {
        "codes": ["ANGL", "FRANC", "HIST", "MATHS", "SVT"],
        "scope_found_by_next_client": "",
        # Five: the school's only, in autocommit and in a transaction; eight while it reads across schools.
        "unscoped_counts": [5, 5, 8, 5],
        "unscoped_count_outside": 8,
    }
    # Without the setting, the next client of the pooled connection finds this request's school.
    assert run_client(pgbouncer, school.pk, "")["scope_found_by_next_client"] == str(school.pk)
