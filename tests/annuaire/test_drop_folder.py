"""The AAF drop folder: what waits is imported once, then moved to done/ or refused/; one run at a time."""

from __future__ import annotations

import os
import tarfile
import time
from pathlib import Path

import pytest
from django.db import OperationalError

from annuaire.models import Guardianship, ImportRun, ImportRunSchool, Membership, Profile, User
from annuaire.services.drop_folder import ORIGIN, drop_folder_lock, import_drop_folder
from annuaire.tasks import import_aaf_drop_folder
from schools.models import School

pytestmark = pytest.mark.django_db

UAI = "0750680G"

_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n<!-- versionAF="AAF-VE1301" -->\n'
_FOOTER = "</ficAlimMENESR>\n"


def _attr(name: str, *values: str) -> str:
    inner = "".join(f"<value>{value}</value>" for value in values) if values else "<value/>"
    return f'<attr name="{name}">{inner}</attr>'


def _add(category: str, kind: str, identifier: str, *attributes: str) -> str:
    lines = "\n".join(attributes)
    return (
        "<addRequest>\n"
        f'<operationalAttributes><attr name="{category}"><value>{kind}</value></attr></operationalAttributes>\n'
        f"<identifier><id>{identifier}</id></identifier>\n"
        f"<attributes>\n{lines}\n</attributes>\n"
        "</addRequest>\n"
    )


def export_files(*, uai: str = UAI, structure: str = "90001", date: str = "20260901") -> dict[str, str]:
    """A tiny complete export in the Ministry's format: one collège, one division, two students,
    their relatives (three legal representatives and one contact). File name -> content."""
    people = f"{structure}0"  # identifiers unique to this structure
    etab = _add(
        "categorieStructure",
        "EtabEducNat",
        structure,
        _attr("ENTStructureJointure", structure),
        _attr("ENTStructureUAI", uai),
        _attr("ENTEtablissementUAI", uai),
        _attr("ENTStructureNomCourant", "CLG$CLG ALPHA$PARIS"),
        _attr("ENTStructureTypeStruct", "COLLEGE"),
        _attr("ENTServAcAcademie", "PARIS"),
        _attr("ENTStructureClasses", "5A$5EME A"),
        _attr("ENTStructureGroupes"),
    )

    def student(n: int, given: str, family: str, born: str, links: list[str]) -> str:
        return _add(
            "categoriePersonne",
            "Eleve",
            f"{people}{n}",
            _attr("ENTPersonJointure", f"{people}{n}"),
            _attr("ENTPersonDateNaissance", born),
            _attr("sn", family),
            _attr("givenName", given),
            _attr("ENTElevePersRelEleve", *links),
            _attr("ENTEleveMEF", "10010012110"),
            _attr("ENTPersonStructRattach", structure),
            _attr("ENTEleveClasses", f"{structure}$5A"),
            _attr("ENTEleveGroupes"),
        )

    def relative(n: int, given: str, family: str) -> str:
        return _add(
            "categoriePersonne",
            "PersRelEleve",
            f"{people}{n}",
            _attr("ENTPersonJointure", f"{people}{n}"),
            _attr("ENTPersonDateNaissance"),
            _attr("sn", family),
            _attr("givenName", given),
            _attr("telephoneNumber", "0100000000"),
        )

    students = student(1, "Léa", "Martin", "14/09/2013", [f"{people}5$2$1$1$0$0", f"{people}6$1$0$2$0$0"]) + student(
        2, "Noé", "Durand", "02/03/2013", [f"{people}7$2$1$1$0$0", f"{people}8$4$0$0$1$0"]
    )
    relatives = (
        relative(5, "Claire", "Martin")
        + relative(6, "Paul", "Martin")
        + relative(7, "Inès", "Durand")
        + relative(8, "Jeanne", "Voisin")
    )
    return {
        f"ENT_Complet_{date}_EtabEducNat_0000.xml": _HEADER + etab + _FOOTER,
        f"ENT_Complet_{date}_Eleve_0000.xml": _HEADER + students + _FOOTER,
        f"ENT_Complet_{date}_PersRelEleve_0000.xml": _HEADER + relatives + _FOOTER,
    }


def write_export(folder: Path, *, age: float = 600, **options: str) -> list[Path]:
    """Write the tiny export into `folder`, its files last changed `age` seconds ago."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in export_files(**options).items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def one_subfolder(parent: Path) -> Path:
    children = list(parent.iterdir())
    assert len(children) == 1 and children[0].is_dir(), children
    return children[0]


def test_a_valid_export_is_imported_and_moved_to_done(tmp_path):
    written = write_export(tmp_path)
    (tmp_path / "LISEZMOI.txt").write_text("pas un export")

    report = import_drop_folder(folder=tmp_path)

    assert report is not None and not report.refused, report.errors
    school = School.objects.get(uai=UAI)
    assert school.name == "CLG ALPHA" and school.external_id == "90001"
    students = Membership.unscoped.filter(school=school, profile=Profile.STUDENT, active=True)
    assert sorted(students.values_list("user__last_name", flat=True)) == ["Durand", "Martin"]
    assert {m.division.code for m in students.select_related("division")} == {"5A"}
    assert Guardianship.unscoped.filter(school=school).count() == 3  # the contact gets no guardianship
    run = ImportRun.objects.get()
    assert run.pk == report.run_id
    assert (run.origin, run.status) == (ORIGIN, ImportRun.Status.APPLIED)
    assert sorted(run.files) == sorted(path.name for path in written)
    assert ImportRunSchool.unscoped.get(run=run).school == school
    # The files left the folder for done/<timestamp>/; what is no export stays where it was.
    done = one_subfolder(tmp_path / "done")
    assert sorted(path.name for path in done.iterdir()) == sorted(path.name for path in written)
    assert not any(path.exists() for path in written)
    assert (tmp_path / "LISEZMOI.txt").exists()
    assert not (tmp_path / "refused").exists()
    # Nothing left: the next run does nothing, so a file is never imported twice.
    assert import_drop_folder(folder=tmp_path) is None
    assert ImportRun.objects.count() == 1


def test_an_archive_is_imported_like_its_files(tmp_path):
    staging = tmp_path / "staging"
    write_export(staging)
    drop = tmp_path / "drop"
    drop.mkdir()
    archive = drop / "ENT_Complet_20260901.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(staging.iterdir()):
            tar.add(path, arcname=f"export/{path.name}")
    os.utime(archive, (time.time() - 600, time.time() - 600))

    report = import_drop_folder(folder=drop)

    assert report is not None and not report.refused, report.errors
    assert Membership.unscoped.filter(profile=Profile.STUDENT, school__uai=UAI).count() == 2
    assert [path.name for path in one_subfolder(drop / "done").iterdir()] == [archive.name]


def test_a_malformed_file_refuses_the_run_writes_nothing_and_is_kept_in_refused(tmp_path):
    written = write_export(tmp_path)
    broken = tmp_path / "ENT_Complet_20260901_Eleve_0001.xml"
    broken.write_text(_HEADER + "<addRequest><identifier><id>1</id></identifier>\n" + _FOOTER, encoding="utf-8")
    os.utime(broken, (time.time() - 600, time.time() - 600))
    users_before = User.objects.count()

    report = import_drop_folder(folder=tmp_path)

    assert report is not None and report.refused
    assert not School.objects.filter(uai=UAI).exists()
    assert User.objects.count() == users_before
    assert not ImportRunSchool.unscoped.exists()
    run = ImportRun.objects.get()
    assert (run.origin, run.status) == (ORIGIN, ImportRun.Status.REFUSED)
    assert any(broken.name in error for error in run.errors), run.errors
    # Every file of the refused delivery is kept together for inspection, none left waiting.
    refused = one_subfolder(tmp_path / "refused")
    assert sorted(path.name for path in refused.iterdir()) == sorted(path.name for path in [*written, broken])
    assert not (tmp_path / "done").exists()
    assert import_drop_folder(folder=tmp_path) is None


def test_a_file_whose_name_is_no_export_name_is_refused(tmp_path):
    stray = tmp_path / "export.xml"
    stray.write_text(_HEADER + _FOOTER, encoding="utf-8")
    os.utime(stray, (time.time() - 600, time.time() - 600))

    report = import_drop_folder(folder=tmp_path)

    assert report is not None and report.refused
    assert "nom de fichier non conforme" in ImportRun.objects.get().errors[0]
    assert (one_subfolder(tmp_path / "refused") / "export.xml").exists()


def test_an_empty_folder_does_nothing(tmp_path):
    (tmp_path / ".ENT_Complet_20260901_Eleve_0000.xml.part").write_text("en cours d'envoi")
    (tmp_path / "ancien").mkdir()

    assert import_drop_folder(folder=tmp_path) is None
    assert import_drop_folder(folder=tmp_path / "absent") is None

    assert not ImportRun.objects.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [".ENT_Complet_20260901_Eleve_0000.xml.part", "ancien"]


def test_a_delivery_still_arriving_waits_for_the_next_run(tmp_path):
    written = write_export(tmp_path)
    os.utime(written[0], None)  # just changed: maybe still uploading

    assert import_drop_folder(folder=tmp_path) is None
    assert not ImportRun.objects.exists()
    assert all(path.exists() for path in written)

    assert import_drop_folder(folder=tmp_path, settle_seconds=0) is not None
    assert ImportRun.objects.filter(status=ImportRun.Status.APPLIED).count() == 1


def test_while_another_run_holds_the_lock_nothing_is_done(tmp_path):
    written = write_export(tmp_path)

    with drop_folder_lock() as first:
        assert first
        with drop_folder_lock() as second:
            assert not second
        assert import_drop_folder(folder=tmp_path) is None
        assert not ImportRun.objects.exists()
        assert all(path.exists() for path in written)

    # Released: the next run imports.
    report = import_drop_folder(folder=tmp_path)
    assert report is not None and not report.refused
    with drop_folder_lock() as again:
        assert again


def test_the_task_imports_through_celery_and_is_idempotent(tmp_path, settings):
    settings.AAF_DROP_DIR = tmp_path
    write_export(tmp_path)

    result = import_aaf_drop_folder.delay().get()

    run = ImportRun.objects.get()
    assert result["run"] == run.pk and result["refused"] is False
    assert result["rows_written"] > 0 and result["errors"] == 0
    assert len(result["files"]) == 3
    assert Membership.unscoped.filter(school__uai=UAI, profile=Profile.STUDENT).count() == 2
    # Nothing waiting any more: a second delivery of the message does nothing.
    assert import_aaf_drop_folder.delay().get() is None
    assert ImportRun.objects.count() == 1


def test_the_task_acknowledges_late_retries_and_is_scheduled(settings):
    assert import_aaf_drop_folder.acks_late
    assert import_aaf_drop_folder.max_retries >= 1
    assert OperationalError in import_aaf_drop_folder.autoretry_for
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "annuaire.tasks.import_aaf_drop_folder" in schedule
