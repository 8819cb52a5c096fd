"""The AAF importer on the Ministry's own anonymised exports, and on hand-made deltas."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annuaire.aaf.importer import import_aaf
from annuaire.models import (
    Division,
    Guardianship,
    ImportRun,
    ImportRunSchool,
    Membership,
    Profile,
    StudentContact,
    TeachingAssignment,
    User,
)
from schools.models import School

REPO = Path(__file__).resolve().parents[3]
AAF = REPO.parent / "shared" / "fixtures" / "aaf"
COMPLETE = AAF / "men-2013-complet"
DELTA = AAF / "men-2013-delta"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not COMPLETE.is_dir(), reason=f"the Ministry's AAF samples are not at {AAF}"),
]

# Counted in the sample files themselves: 642 students in the 10 structures; 881 distinct
# legal representatives (respLegal 1 or 2) of those students; 150 contacts (respLegal 0);
# 600 of the 701 staff records serve at least one of the 10 structures.
SCHOOLS, STUDENTS, PARENTS, STAFF = 10, 642, 881, 600


def active_users(profile: str) -> int:
    return Membership.unscoped.filter(profile=profile, active=True).values("user").distinct().count()


def staff_users() -> int:
    staff_profiles = [Profile.TEACHER, Profile.STAFF, Profile.DIRECTION]
    return Membership.unscoped.filter(profile__in=staff_profiles, active=True).values("user").distinct().count()


@pytest.fixture(scope="module")
def complete_import(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One import of the complete sample for the module (it takes a few seconds)."""
    with django_db_blocker.unblock():
        report = import_aaf(paths=[COMPLETE])
        yield report
        # Module-scoped data: leave the database as the other tests expect it.
        for model in (TeachingAssignment, Guardianship, StudentContact, Membership):
            model.unscoped.all().delete()
        User.objects.all().delete()
        School.objects.all().delete()
        ImportRun.objects.all().delete()


def test_complete_sample_imports_with_the_expected_counts(complete_import):
    assert not complete_import.refused, complete_import.errors[:5]
    assert School.objects.count() == SCHOOLS
    assert active_users(Profile.STUDENT) == STUDENTS
    assert active_users(Profile.PARENT) == PARENTS
    assert staff_users() == STAFF
    assert StudentContact.unscoped.values("external_id").distinct().count() == 150
    # Anonymised UAIs carry invalid check letters: imported with a warning, not refused.
    assert School.objects.filter(uai_check_warning=True).exists()
    assert any("lettre clé" in warning for warning in complete_import.warnings)
    # Staff serving structures outside the export: ignored with a warning.
    assert any("hors de l'export" in warning for warning in complete_import.warnings)


def test_a_student_gets_division_guardians_and_contacts(complete_import):
    student = User.objects.get(external_id="2605692")
    membership = Membership.unscoped.get(user=student, profile=Profile.STUDENT)
    assert membership.division is not None and membership.from_directory
    guardians = set(Guardianship.unscoped.filter(student=student).values_list("guardian__external_id", flat=True))
    assert guardians == {"2867253", "2867254"}
    assert not student.has_usable_password()
    assert student.username == "ku.long"


def test_reimporting_the_same_files_writes_nothing(complete_import):
    again = import_aaf(paths=[COMPLETE])
    assert not again.refused
    assert again.rows_written == 0, dict(again.totals)


def test_dry_run_changes_nothing_and_says_what_would_change(complete_import):
    names = dict(User.objects.values_list("external_id", "last_name")[:1])
    [(external_id, last_name)] = names.items()
    User.objects.filter(external_id=external_id).update(last_name="Modifié")
    report = import_aaf(paths=[COMPLETE], dry_run=True)
    assert report.totals["accounts_changed"] == 1
    assert User.objects.get(external_id=external_id).last_name == "Modifié"
    import_aaf(paths=[COMPLETE])
    assert User.objects.get(external_id=external_id).last_name == last_name


def test_a_heads_email_edit_survives_reimport(complete_import):
    user = User.objects.filter(external_id__gt="").first()
    user.email = "saisie.main@example.org"
    user.save(update_fields=["email"])
    import_aaf(paths=[COMPLETE])
    user.refresh_from_db()
    assert user.email == "saisie.main@example.org"


def test_malformed_deltas_refuse_the_whole_run_with_file_and_line(complete_import):
    before = Membership.unscoped.count()
    report = import_aaf(paths=[DELTA])
    assert report.refused
    text = "\n".join(report.errors)
    assert "FULL_ENTTSSERVICES_Delta_20130122_Eleve_0000.xml" in text and "100" in text
    assert "FULL_ENTTSSERVICES_Delta_20130122_PersEducNat_0000.xml" in text and "76" in text
    assert Membership.unscoped.count() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.REFUSED).exists()


def test_the_well_formed_delta_applies(complete_import):
    report = import_aaf(paths=[DELTA / "FULL_ENTTSSERVICES_Delta_20130122_PersRelEleve_0000.xml"])
    assert not report.refused, report.errors


def test_command_refuses_with_a_clear_message(complete_import, capsys):
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("import_aaf", str(DELTA))
    assert "ligne" in capsys.readouterr().err


def _delta(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n{body}\n</ficAlimMENESR>\n', "utf-8")
    return path


STUDENT_ATTRIBUTES = """
<attr name="ENTPersonJointure"><value>9900001</value></attr>
<attr name="ENTPersonStructRattach"><value>52000</value></attr>
<attr name="ENTPersonDateNaissance"><value>02/03/2013</value></attr>
<attr name="sn"><value>{last}</value></attr>
<attr name="givenName"><value>Zoé</value></attr>
<attr name="ENTEleveClasses"><value>52000$6DELTA</value></attr>
<attr name="ENTElevePersRelEleve"><value>2867253$2$1$1$0$0</value></attr>
"""
CATEGORY = '<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>'


def test_delta_add_modify_delete_round_trip(complete_import, tmp_path):
    add = _delta(
        tmp_path,
        "ENT_Delta_20130201_Eleve_0000.xml",
        f"<addRequest>{CATEGORY}<identifier><id>9900001</id></identifier>"
        f"<attributes>{STUDENT_ATTRIBUTES.format(last='Nouvelle')}</attributes></addRequest>",
    )
    assert not import_aaf(paths=[add]).refused
    student = User.objects.get(external_id="9900001")
    membership = Membership.unscoped.get(user=student, profile=Profile.STUDENT)
    assert (student.username, membership.division.code, membership.active) == ("zoe.nouvelle", "6DELTA", True)
    assert Guardianship.unscoped.filter(student=student, guardian__external_id="2867253").exists()

    modifications = "".join(
        f'<modification name="{name}" operation="replace">{values}</modification>'
        for name, values in (
            ("ENTPersonJointure", "<value>9900001</value>"),
            ("ENTPersonStructRattach", "<value>52000</value>"),
            ("sn", "<value>Renommée</value>"),
            ("givenName", "<value>Zoé</value>"),
            ("ENTEleveClasses", "<value>52000$6DELTA</value>"),
            ("ENTElevePersRelEleve", "<value/>"),
        )
    )
    modify = _delta(
        tmp_path,
        "ENT_Delta_20130202_Eleve_0000.xml",
        f"<modifyRequest>{CATEGORY}<identifier><id>9900001</id></identifier>"
        f"<modifications>{modifications}</modifications></modifyRequest>",
    )
    assert not import_aaf(paths=[modify]).refused
    student.refresh_from_db()
    assert student.last_name == "Renommée"
    assert student.username == "zoe.nouvelle"  # a login never changes
    # The whole record is replaced: the relative it no longer lists is no longer its guardian.
    assert not Guardianship.unscoped.filter(student=student).exists()

    delete = _delta(
        tmp_path,
        "ENT_Delta_20130203_Eleve_0000.xml",
        f"<deleteRequest>{CATEGORY}<identifier><id>9900001</id></identifier></deleteRequest>",
    )
    assert not import_aaf(paths=[delete]).refused
    membership.refresh_from_db()
    assert not membership.active and membership.ended_at is not None
    assert User.objects.filter(pk=student.pk).exists()  # people are never deleted by the importer


def test_a_student_of_an_unknown_structure_refuses_the_run(complete_import, tmp_path):
    body = STUDENT_ATTRIBUTES.format(last="Perdue").replace("52000", "77777")
    bad = _delta(
        tmp_path,
        "ENT_Delta_20130201_Eleve_0000.xml",
        f"<addRequest>{CATEGORY}<identifier><id>9900001</id></identifier><attributes>{body}</attributes></addRequest>",
    )
    report = import_aaf(paths=[bad])
    assert report.refused
    assert "ENT_Delta_20130201_Eleve_0000.xml, ligne" in report.errors[0] and "77777" in report.errors[0]
    assert not User.objects.filter(external_id="9900001").exists()


def test_an_impossible_date_refuses_the_run(complete_import, tmp_path):
    body = STUDENT_ATTRIBUTES.format(last="Datée").replace("02/03/2013", "31/02/2013")
    bad = _delta(
        tmp_path,
        "ENT_Delta_20130201_Eleve_0000.xml",
        f"<addRequest>{CATEGORY}<identifier><id>9900001</id></identifier><attributes>{body}</attributes></addRequest>",
    )
    report = import_aaf(paths=[bad])
    assert report.refused and "date impossible" in report.errors[0]


def test_year_rollover_moves_students_and_keeps_last_years_divisions(complete_import, tmp_path):
    next_year = tmp_path / "rentree"
    next_year.mkdir()
    for path in COMPLETE.glob("*.xml"):
        (next_year / path.name.replace("20130117", "20130902")).symlink_to(path)
    last_year_divisions = Division.unscoped.filter(school_year=2012).count()
    last_year_services = TeachingAssignment.unscoped.count()

    preview = import_aaf(paths=[next_year], dry_run=True)
    assert preview.totals["divisions_archived"] == last_year_divisions
    assert not Division.unscoped.filter(school_year=2013).exists()

    report = import_aaf(paths=[next_year])
    assert not report.refused
    assert any("passage à l'année 2013-2014" in warning for warning in report.warnings)
    student = Membership.unscoped.get(user__external_id="2605692", profile=Profile.STUDENT)
    assert student.division.school_year == 2013
    assert Division.unscoped.filter(school_year=2012).count() == last_year_divisions
    assert TeachingAssignment.unscoped.filter(division__school_year=2012).count() == last_year_services
    assert import_aaf(paths=[next_year]).rows_written == 0


def test_every_school_of_the_export_gets_its_history_line_even_without_changes(complete_import):
    report = import_aaf(paths=[COMPLETE])
    assert report.rows_written == 0
    run = ImportRun.objects.get(pk=report.run_id)
    assert ImportRunSchool.unscoped.filter(run=run).count() == SCHOOLS


def test_a_division_takes_its_students_level(complete_import):
    membership = Membership.unscoped.get(user__external_id="2605692", profile=Profile.STUDENT)
    assert membership.division.mef is not None
    assert membership.division.mef.code == "24133610210"
