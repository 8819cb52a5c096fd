"""The LDAP source of the AAF importer against a real OpenLDAP slapd.

A module-scoped fixture builds a throw-away directory in a temporary folder: a slapd.conf
with the mdb backend, the core, cosine and inetOrgPerson schemas plus a test subset of the
SDET schema (`ldap/sdet-test.schema`), the entries of `ldap/entries.ldif` loaded with
slapadd, then slapd listening on a free loopback port. The tests run the real pipeline
(`import_sources`) and the real command over it.
"""

from __future__ import annotations

import datetime
import importlib.util
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annuaire.aaf.importer import import_sources
from annuaire.aaf.ldap_source import ldap_sources
from annuaire.aaf.read import RecordSource
from annuaire.models import (
    Division,
    Guardianship,
    ImportRun,
    Membership,
    Profile,
    StudentContact,
    TeachingAssignment,
    User,
)
from schools.models import School
from tests.servers import free_port, wait_until_listening

HERE = Path(__file__).resolve().parent / "ldap"
SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
SLAPADD = shutil.which("slapadd") or ("/usr/sbin/slapadd" if Path("/usr/sbin/slapadd").exists() else None)
HAS_PYTHON_LDAP = importlib.util.find_spec("ldap") is not None
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")  # Debian builds the backends as modules

BASE_DN = "dc=ent,dc=test"
READER_DN = "cn=lecteur-ent,ou=services,dc=ent,dc=test"
READER_PASSWORD = "lecteur-de-test"  # as in ldap/entries.ldif

SLAPD_MARKS = [
    pytest.mark.slapd,
    pytest.mark.skipif(not HAS_PYTHON_LDAP, reason="python-ldap is not installed (pip install -e '.[ldap]')"),
    pytest.mark.skipif(
        not (SLAPD and SLAPADD), reason="OpenLDAP's slapd is not installed (apt-get install slapd ldap-utils)"
    ),
]


def needs_slapd(test):  # type: ignore[no-untyped-def]
    """Marks a test that talks to the real slapd; skipped, saying why, when slapd or python-ldap is absent."""
    for mark in SLAPD_MARKS:
        test = mark(test)
    return test


needs_python_ldap = pytest.mark.skipif(not HAS_PYTHON_LDAP, reason="python-ldap is not installed")
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Directory:
    uri: str
    password_file: Path

    def sources(self, *, password: str = READER_PASSWORD, base_dn: str = BASE_DN, **options: Any) -> list[RecordSource]:
        return ldap_sources(uri=self.uri, bind_dn=READER_DN, password=password, base_dn=base_dn, **options)


def _slapd_conf(folder: Path) -> str:
    schemas = [SCHEMAS / "core.schema", SCHEMAS / "cosine.schema", SCHEMAS / "inetorgperson.schema"]
    modules = f"modulepath {MODULES}\nmoduleload back_mdb\n" if (MODULES / "back_mdb.so").exists() else ""
    return "\n".join(
        [
            *(f"include {schema}" for schema in [*schemas, HERE / "sdet-test.schema"]),
            f"pidfile {folder / 'slapd.pid'}",
            f"argsfile {folder / 'slapd.args'}",
            modules,
            "database mdb",
            f'suffix "{BASE_DN}"',
            f"directory {folder / 'data'}",
            "maxsize 10485760",
            # The ENT's service account reads everything but passwords; nobody else reads anything.
            "access to attrs=userPassword by anonymous auth by * none",
            f'access to * by dn.exact="{READER_DN}" read by * none',
            "",
        ]
    )


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    """A real slapd serving the test entries on a free loopback port, for the module."""
    if not (HAS_PYTHON_LDAP and SLAPD and SLAPADD):
        pytest.skip("slapd or python-ldap is not installed")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(_slapd_conf(folder), encoding="utf-8")
    loaded = subprocess.run(  # noqa: S603 (fixed arguments)
        [SLAPADD, "-f", str(conf), "-b", BASE_DN, "-l", str(HERE / "entries.ldif")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, f"slapadd failed: {loaded.stderr}"
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = (folder / "slapd.log").open("w")
    # -d 0: stay in the foreground (a child we can stop) without debug output.
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [SLAPD, "-h", f"{uri}/", "-f", str(conf), "-d", "0"], cwd=folder, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_listening(server, port, f"slapd (log: {folder / 'slapd.log'})", seconds=15)
        password_file = folder / "password"
        password_file.write_text(READER_PASSWORD + "\n", encoding="utf-8")
        yield Directory(uri=uri, password_file=password_file)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _active(profile: str) -> set[str]:
    return set(
        Membership.unscoped.filter(profile=profile, active=True).values_list("user__external_id", flat=True).distinct()
    )


@needs_slapd
def test_import_creates_schools_students_parents_and_teachers(directory: Directory) -> None:
    report = import_sources(sources=directory.sources(), origin="ldap")

    assert not report.refused, report.errors
    assert report.files == [
        f"{directory.uri} ENTStructure",
        f"{directory.uri} ENTEleve",
        f"{directory.uri} ENTAuxPersRelEleve",
        f"{directory.uri} ENTAuxEnseignant/ENTAuxNonEnsEtab/ENTAuxNonEnsCollLoc",
    ]
    assert set(School.objects.values_list("uai", flat=True)) == {"0750680G", "0750712S"}
    assert School.objects.get(uai="0750680G").external_source == "PARIS"
    assert set(Division.unscoped.values_list("school__uai", "code")) == {
        ("0750680G", "3A"),
        ("0750680G", "4B"),
        ("0750712S", "2ND1"),
    }
    assert _active(Profile.STUDENT) == {"3000001", "3000002", "3000003", "3000004"}
    # Legal representatives get an account; 4000003 (respLegal 0) stays a contact.
    assert _active(Profile.PARENT) == {"4000001", "4000002", "4000004", "4000005", "4000006", "4000007"}
    assert Guardianship.unscoped.count() == 7
    nadia = User.objects.get(external_id="4000004")
    nadias = Membership.unscoped.filter(user=nadia, profile=Profile.PARENT)
    assert set(nadias.values_list("school__uai", flat=True)) == {"0750680G", "0750712S"}
    assert _active(Profile.TEACHER) == {"5000001", "5000002"}
    assert _active(Profile.STAFF) == {"5000003"}
    assert TeachingAssignment.unscoped.count() == 5
    head = TeachingAssignment.unscoped.get(is_head_teacher=True)
    assert (head.teacher.external_id, head.division.code, head.subject.code) == ("5000001", "3A", "020700")
    hugo = TeachingAssignment.unscoped.filter(teacher__external_id="5000002")
    assert set(hugo.values_list("school__uai", "division__code")) == {("0750680G", "3A"), ("0750712S", "2ND1")}
    assert ImportRun.objects.get(pk=report.run_id).origin == "ldap"


@needs_slapd
def test_a_student_arrives_whole(directory: Directory) -> None:
    import_sources(sources=directory.sources())

    zoe = User.objects.get(external_id="3000001")
    # UTF-8 values decoded: accents kept in names, folded in the login.
    assert (zoe.first_name, zoe.last_name, zoe.username) == ("Zoé", "Lefèvre", "zoe.lefevre")
    assert zoe.birth_date == datetime.date(2011, 3, 14)
    assert zoe.external_source == "PARIS"
    membership = Membership.unscoped.get(user=zoe, profile=Profile.STUDENT)
    assert (membership.school.uai, membership.division.code, membership.from_directory) == ("0750680G", "3A", True)
    links = Guardianship.unscoped.filter(student=zoe)
    assert {(g.guardian.external_id, g.financial) for g in links} == {("4000001", True), ("4000002", False)}
    father = User.objects.get(external_id="4000001")
    assert (father.directory_email, father.directory_phone) == ("marc.lefevre@example.org", "0600000001")
    contact = StudentContact.unscoped.get(student=zoe)
    assert (contact.external_id, contact.last_name, contact.phone) == ("4000003", "Garnier", "0100000003")


@needs_slapd
def test_reimporting_the_directory_writes_nothing(directory: Directory) -> None:
    first = import_sources(sources=directory.sources())
    assert first.rows_written > 0

    again = import_sources(sources=directory.sources())

    assert not again.refused, again.errors
    assert again.rows_written == 0, dict(again.totals)


@needs_slapd
def test_pages_of_two_read_the_same_entries(directory: Directory) -> None:
    default, *_ = directory.sources()
    paged, *_ = directory.sources(page_size=2)
    students = directory.sources(page_size=2)[1]

    assert [r.identifier for r in paged.records()] == [r.identifier for r in default.records()] == ["7501", "7502"]
    records = list(students.records())
    assert sorted(r.identifier for r in records) == ["3000001", "3000002", "3000003", "3000004"]
    assert [r.line for r in records] == [1, 2, 3, 4]
    assert {(r.operation, r.kind, r.file) for r in records} == {("add", "Eleve", f"{directory.uri} ENTEleve")}


@needs_slapd
def test_a_wrong_password_refuses_the_run_in_french(directory: Directory) -> None:
    report = import_sources(sources=directory.sources(password="pas-le-bon"))

    assert report.refused
    assert report.errors[0] == (
        f"{directory.uri} : identifiants refusés par l'annuaire LDAP (DN de connexion ou mot de passe faux) "
        f"pour {READER_DN}."
    )
    # The next sources do not knock again with the same wrong password.
    assert all("voir plus haut" in error for error in report.errors[1:])
    assert not User.objects.exists() and not School.objects.exists()
    assert ImportRun.objects.get(pk=report.run_id).status == ImportRun.Status.REFUSED


@needs_slapd
def test_a_base_without_entries_refuses_a_complete_import(directory: Directory) -> None:
    report = import_sources(sources=directory.sources(base_dn=f"ou=services,{BASE_DN}"))

    assert report.refused
    assert any("aucune entrée de classe ENTStructure" in error for error in report.errors)
    assert not School.objects.exists()


@needs_python_ldap
def test_an_unreachable_directory_refuses_the_run() -> None:
    uri = f"ldap://127.0.0.1:{free_port()}"  # nobody listens there
    report = import_sources(sources=ldap_sources(uri=uri, bind_dn=READER_DN, password="x", base_dn=BASE_DN, timeout=2))

    assert report.refused
    assert report.errors[0].startswith(f"{uri} : annuaire LDAP injoignable")


@needs_python_ldap
def test_a_silent_directory_times_out() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        uri = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        report = import_sources(
            sources=ldap_sources(uri=uri, bind_dn=READER_DN, password="x", base_dn=BASE_DN, timeout=1)
        )

    assert time.monotonic() - started < 10
    assert report.refused
    assert report.errors[0] == f"{uri} : l'annuaire LDAP n'a pas répondu dans le délai de 1 s."


@needs_python_ldap
def test_an_empty_password_is_never_sent() -> None:
    report = import_sources(
        sources=ldap_sources(uri="ldap://127.0.0.1:1", bind_dn=READER_DN, password="", base_dn=BASE_DN)
    )

    assert report.refused
    assert "mot de passe vide" in report.errors[0]


@needs_slapd
def test_the_command_imports_end_to_end(directory: Directory, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--uri", directory.uri, "--bind-dn", READER_DN, "--base-dn", BASE_DN]

    call_command("import_ldap", *arguments, "--password-file", str(directory.password_file), "--dry-run")
    out = capsys.readouterr().out
    assert f"4 source(s) lue(s) dans l'annuaire {directory.uri}." in out
    assert "0750680G : " in out and "Simulation :" in out
    assert not User.objects.exists()

    call_command("import_ldap", *arguments, "--password-file", str(directory.password_file))
    assert "Import appliqué :" in capsys.readouterr().out
    assert User.objects.filter(external_id="3000001", username="zoe.lefevre").exists()


@needs_slapd
def test_the_command_takes_the_password_from_the_environment(
    directory: Directory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["--uri", directory.uri, "--bind-dn", READER_DN, "--base-dn", BASE_DN]
    monkeypatch.setenv("LDAP_PASSWORD", "pas-le-bon")

    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_ldap", *arguments)
    assert "identifiants refusés" in capsys.readouterr().err

    monkeypatch.delenv("LDAP_PASSWORD")
    with pytest.raises(CommandError, match="Mot de passe LDAP absent"):
        call_command("import_ldap", *arguments)


def test_the_command_says_the_ldap_extra_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ldap", None)  # as if python-ldap were not installed

    with pytest.raises(CommandError, match="installez l'extra « ldap »"):
        call_command("import_ldap", "--uri", "ldap://127.0.0.1:1", "--bind-dn", READER_DN, "--base-dn", BASE_DN)
    assert not ImportRun.objects.exists()
