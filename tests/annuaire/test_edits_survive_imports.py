"""The promise that imports keep a head's hand edits (contact details, local accounts).

It runs the real AAF importer on a tiny export written in `tmp_path`, in the
Ministry's record shape (`../shared/fixtures/aaf/men-2013-complet/`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire.aaf.importer import import_aaf
from annuaire.models import Membership, Profile, User
from schools.models import School
from tests.annuaire.local_edits_support import (
    LOCAL_PERSON,
    REVERT_LABEL,
    contact_url,
    fresh,
    membership_of,
    new_account_url,
    revert_url,
    signed_in,
)
from tests.factories import MembershipFactory, UserFactory, make_uai

pytestmark = pytest.mark.django_db


# --- the promise, with the real importer --------------------------------------------------------

STRUCTURE_ID, STUDENT_ID, PARENT_ID = "9750001", "9750100", "9750200"
UAI = make_uai(9701)
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n<!-- versionAF="AAF-VE1301" -->\n'


def _attrs(**values: str) -> str:
    return "\n".join(
        f'<attr name="{name}">' + (f"<value>{value}</value>" if value else "<value/>") + "</attr>"
        for name, value in values.items()
    )


def _add(category_name: str, category: str, identifier: str, attributes: str) -> str:
    return (
        f'<addRequest>\n<operationalAttributes><attr name="{category_name}"><value>{category}</value></attr>'
        f"</operationalAttributes>\n<identifier><id>{identifier}</id></identifier>\n"
        f"<attributes>\n{attributes}\n</attributes>\n</addRequest>\n"
    )


def write_export(folder: Path, *, parent_mail: str, parent_phone: str) -> Path:
    """A complete export of one collège, one student and her legal representative."""
    structure = _attrs(
        ENTStructureJointure=STRUCTURE_ID,
        ENTStructureUAI=UAI,
        ENTEtablissementUAI=UAI,
        ENTStructureNomCourant="CLG$CLG DES ESSAIS$PARIS",
        ENTStructureTypeStruct="COLLEGE",
        ENTServAcAcademie="PARIS",
        ENTStructureClasses="6A$6e A",
        ENTStructureGroupes="",
    )
    student = _attrs(
        ENTPersonJointure=STUDENT_ID,
        ENTPersonDateNaissance="14/09/2014",
        ENTPersonNomPatro="ESSAI",
        sn="Essai",
        givenName="Inès",
        ENTPersonStructRattach=STRUCTURE_ID,
        ENTEleveClasses=f"{STRUCTURE_ID}$6A",
        ENTElevePersRelEleve=f"{PARENT_ID}$20$1$1$1$0",
    )
    relative = _attrs(
        ENTPersonJointure=PARENT_ID,
        ENTPersonDateNaissance="",
        ENTPersonNomPatro="ESSAI",
        sn="Essai",
        givenName="Nadia",
        personalTitle="Mme",
        mail=parent_mail,
        telephoneNumber=parent_phone,
        ENTPersonCodePostal="75011",
        ENTPersonVille="PARIS",
    )
    files = {
        "EtabEducNat": _add("categorieStructure", "EtabEducNat", STRUCTURE_ID, structure),
        "Eleve": _add("categoriePersonne", "Eleve", STUDENT_ID, student),
        "PersRelEleve": _add("categoriePersonne", "PersRelEleve", PARENT_ID, relative),
    }
    folder.mkdir(exist_ok=True)
    for kind, body in files.items():
        (folder / f"ENT_Complet_20260901_{kind}_0000.xml").write_text(f"{HEADER}{body}</ficAlimMENESR>\n", "utf-8")
    return folder


def imported(folder: Path) -> None:
    report = import_aaf(paths=[folder])
    assert not report.refused, report.errors


def test_hand_edits_and_local_accounts_survive_reimports(tmp_path):
    export = tmp_path / "aaf"
    imported(write_export(export, parent_mail="nadia.essai@famille.example", parent_phone="0145678910"))
    school = School.objects.get(uai=UAI)
    parent = User.objects.get(external_id=PARENT_ID)
    assert (parent.email, parent.directory_email) == ("nadia.essai@famille.example",) * 2
    parent_membership = membership_of(parent, school)
    assert parent_membership.profile == Profile.PARENT and parent_membership.from_directory

    # The head (a local membership of the school) edits the e-mail; the phone stays the directory's.
    head_user = UserFactory(username="principale.essais")
    MembershipFactory(school=school, user=head_user, profile=Profile.DIRECTION)
    head = signed_in(head_user)
    page = head.post(
        contact_url(school, parent_membership), {"email": "nadia.perso@example.org", "phone": "0145678910"}
    )
    assert page.status_code == 302
    assert REVERT_LABEL in head.get(contact_url(school, parent_membership)).content.decode()
    # ... and creates a local account for a volunteer the rectorat does not know.
    assert head.post(new_account_url(school), LOCAL_PERSON).status_code == 200
    volunteer = membership_of(User.objects.get(username="awa.diallo"), school)

    # The rectorat changes the parent's e-mail and phone; the complete export lists neither
    # the head nor the volunteer.
    imported(write_export(export, parent_mail="nadia.nouvelle@famille.example", parent_phone="0611223344"))
    parent = fresh(parent)
    assert parent.email == "nadia.perso@example.org"  # the head's edit stays
    assert parent.directory_email == "nadia.nouvelle@famille.example"  # the directory's value is followed
    assert parent.phone == parent.directory_phone == "0611223344"  # untouched by hand: updated
    volunteer.refresh_from_db()
    assert volunteer.active and volunteer.ended_at is None and not volunteer.from_directory
    assert Membership.unscoped.get(user=head_user, school=school).active
    html = head.get(contact_url(school, parent_membership)).content.decode()
    assert "nadia.nouvelle@famille.example" in html and REVERT_LABEL in html

    # Re-importing the same files writes nothing, hand edits included.
    assert import_aaf(paths=[export]).rows_written == 0

    # Back to the directory: the next import updates the e-mail again.
    assert head.post(revert_url(school, parent_membership)).status_code == 302
    assert fresh(parent).email == "nadia.nouvelle@famille.example"
    imported(write_export(export, parent_mail="nadia.troisieme@famille.example", parent_phone="0611223344"))
    parent = fresh(parent)
    assert parent.email == parent.directory_email == "nadia.troisieme@famille.example"
    volunteer.refresh_from_db()
    assert volunteer.active
