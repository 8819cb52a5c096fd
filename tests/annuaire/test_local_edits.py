"""A head's hand edits (contact details, local accounts) and the promise that imports keep them.

The last test runs the real AAF importer on a tiny export written in `tmp_path`, in the
Ministry's record shape (`../shared/fixtures/aaf/men-2013-complet/`).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import assign_perm

from annuaire.aaf.importer import import_aaf
from annuaire.models import ActivationCode, Membership, Profile, User
from annuaire.services.accounts import normalize_phone
from annuaire.services.activation import find_valid_code
from schools import permissions as school_perms
from schools.models import School
from tests.factories import MembershipFactory, UserFactory, make_uai

pytestmark = pytest.mark.django_db

REVERT_LABEL = "Revenir aux coordonnées de l’annuaire"


def membership_of(user: User, school: School) -> Membership:
    return Membership.unscoped.get(user=user, school=school)


def contact_url(school: School, membership: Membership) -> str:
    return reverse("annuaire_admin:account_contact", kwargs={"uai": school.uai, "membership_id": membership.pk})


def revert_url(school: School, membership: Membership) -> str:
    return reverse("annuaire_admin:account_contact_revert", kwargs={"uai": school.uai, "membership_id": membership.pk})


def new_account_url(school: School) -> str:
    return reverse("annuaire_admin:account_new", kwargs={"uai": school.uai})


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def letter_code(html: str) -> str:
    match = re.search(r"data-activation-code>([A-Z0-9-]+)<", html)
    assert match, "the activation letter shows no code"
    return match.group(1)


LOCAL_PERSON = {
    "first_name": "Awa",
    "last_name": "Diallo",
    "profile": Profile.STAFF,
    "functions": "Service civique ; Aide aux devoirs",
    "email": "awa.diallo@example.org",
    "phone": "06 12 34 56 78",
}


# --- contact details -------------------------------------------------------------------------


def test_the_accounts_page_links_each_other_row_to_its_contact_form(world):
    html = signed_in(world.a.direction).get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai}))
    html = html.content.decode()
    assert contact_url(world.a.school, membership_of(world.a.parent, world.a.school)) in html
    assert contact_url(world.a.school, membership_of(world.a.direction, world.a.school)) not in html
    assert new_account_url(world.a.school) in html


def test_head_edits_email_and_phone(world):
    head, parent = signed_in(world.a.direction), world.a.parent
    url = contact_url(world.a.school, membership_of(parent, world.a.school))
    page = head.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_email"' in html and '<label for="id_phone"' in html
    assert parent.email in html
    # Not from the directory (a factory account): no directory values to go back to.
    assert REVERT_LABEL not in html and "l’annuaire académique ne le connaît pas" in html

    response = head.post(url, {"email": " Camille.Martin@Example.ORG ", "phone": "+33 (0)6 12-34-56-78"})
    assert response.status_code == 302 and response["Location"] == url
    parent = fresh(parent)
    assert (parent.email, parent.phone) == ("Camille.Martin@example.org", "+33612345678")
    assert "sont enregistrées" in head.get(url).content.decode()


@pytest.mark.parametrize(
    ("email", "phone", "message"),
    [
        ("pas-une-adresse", "0612345678", "Saisissez une adresse électronique valide"),
        ("camille@example", "0612345678", "Saisissez une adresse électronique valide"),
        ("camille@example.org", "12345", "Saisissez un numéro de téléphone français"),
        ("camille@example.org", "06 12 34 56 7", "Saisissez un numéro de téléphone français"),
        ("camille@example.org", "+33 6 12 34 56 78 90 12 34", "Saisissez un numéro de téléphone français"),
    ],
)
def test_bad_contact_details_are_refused_in_french_and_change_nothing(world, email, phone, message):
    before = fresh(world.a.parent)
    response = signed_in(world.a.direction).post(
        contact_url(world.a.school, membership_of(world.a.parent, world.a.school)), {"email": email, "phone": phone}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "n’ont pas été enregistrées" in html
    after = fresh(world.a.parent)
    assert (after.email, after.phone) == (before.email, before.phone)


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("01 45 67 89 10", "0145678910"),
        ("06.12.34.56.78", "0612345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("", ""),
    ],
)
def test_french_and_international_numbers_are_accepted(number, stored):
    assert normalize_phone(number) == stored


def test_a_teacher_is_refused_the_contact_form(world):
    teacher = signed_in(world.a.teacher)
    url = contact_url(world.a.school, membership_of(world.a.parent, world.a.school))
    before = fresh(world.a.parent).email
    assert teacher.get(url).status_code == 403
    assert teacher.post(url, {"email": "vol@example.org", "phone": ""}).status_code == 403
    assert teacher.post(revert_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 403
    assert fresh(world.a.parent).email == before


def test_the_head_of_school_b_gets_404_for_a_person_of_school_a(world):
    head_b = signed_in(world.b.direction)
    a_membership = membership_of(world.a.parent, world.a.school)
    # B's own address with A's membership id: not found, whether it exists or not.
    url = reverse(
        "annuaire_admin:account_contact", kwargs={"uai": world.b.school.uai, "membership_id": a_membership.pk}
    )
    before = fresh(world.a.parent).email
    assert head_b.get(url).status_code == 404
    assert head_b.post(url, {"email": "vol@example.org", "phone": ""}).status_code == 404
    assert world.a.parent.email not in head_b.get(url).content.decode()
    assert fresh(world.a.parent).email == before
    # A's address: B's head has no membership there.
    assert head_b.get(contact_url(world.a.school, a_membership)).status_code == 403


def test_a_delegate_cannot_edit_a_head_nor_anyone_their_own(world):
    assign_perm(school_perms.MANAGE_ACCOUNTS, world.a.staff, world.a.school)
    delegate = signed_in(world.a.staff)
    head_url = contact_url(world.a.school, membership_of(world.a.direction, world.a.school))
    response = delegate.post(head_url, {"email": "vol@example.org", "phone": ""})
    assert response.status_code == 403
    assert "Seule la direction" in response.content.decode()
    assert fresh(world.a.direction).email != "vol@example.org"
    # The delegate edits others, but not their own details through this page.
    assert delegate.get(contact_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 200
    assert delegate.get(contact_url(world.a.school, membership_of(world.a.staff, world.a.school))).status_code == 403
    own = signed_in(world.a.direction).get(
        contact_url(world.a.school, membership_of(world.a.direction, world.a.school))
    )
    assert own.status_code == 403


def test_city_admins_are_refused_personal_contact_details(world):
    city = signed_in(world.city_admin)
    assert city.get(contact_url(world.a.school, membership_of(world.a.parent, world.a.school))).status_code == 403
    assert city.get(new_account_url(world.a.school)).status_code == 403


def test_revert_gives_back_the_directory_values(world):
    User.objects.filter(pk=world.a.parent.pk).update(
        external_source="PARIS",
        external_id="123456",
        directory_email="annuaire@example.org",
        directory_phone="0145678910",
        email="main@example.org",
        phone="0612345678",
    )
    head = signed_in(world.a.direction)
    membership = membership_of(world.a.parent, world.a.school)
    html = head.get(contact_url(world.a.school, membership)).content.decode()
    assert "annuaire@example.org" in html and "0145678910" in html and REVERT_LABEL in html

    assert head.get(revert_url(world.a.school, membership)).status_code == 405
    response = head.post(revert_url(world.a.school, membership))
    assert response.status_code == 302
    parent = fresh(world.a.parent)
    assert (parent.email, parent.phone) == ("annuaire@example.org", "0145678910")
    html = head.get(contact_url(world.a.school, membership)).content.decode()
    assert "les prochains imports les mettront à jour" in html
    assert REVERT_LABEL not in html  # nothing to revert any more


def test_revert_refuses_an_account_the_directory_does_not_know(world):
    head = signed_in(world.a.direction)
    before = fresh(world.a.parent)
    response = head.post(revert_url(world.a.school, membership_of(world.a.parent, world.a.school)), follow=True)
    assert "l'annuaire académique ne connaît pas ses coordonnées" in text_of(response)
    assert fresh(world.a.parent).email == before.email


# --- local accounts --------------------------------------------------------------------------


def test_head_creates_a_local_account_and_prints_its_letter(world):
    head = signed_in(world.a.direction)
    form = head.get(new_account_url(world.a.school))
    assert form.status_code == 200
    assert '<label for="id_first_name"' in form.content.decode()

    response = head.post(new_account_url(world.a.school), LOCAL_PERSON)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    user = User.objects.get(username="awa.diallo")
    assert "awa.diallo" in html and "Lettre d’activation" in html
    assert find_valid_code(user=user, code=letter_code(html)) is not None
    assert (user.first_name, user.last_name, user.email, user.phone) == (
        "Awa",
        "Diallo",
        "awa.diallo@example.org",
        "0612345678",
    )
    assert user.external_id == "" and not is_password_usable(user.password) and user.activated_at is None
    membership = membership_of(user, world.a.school)
    assert membership.profile == Profile.STAFF and membership.active and not membership.from_directory
    assert membership.functions == ["Service civique", "Aide aux devoirs"]
    # Listed on the accounts page, awaiting activation.
    listed = head.get(reverse("annuaire_admin:accounts", kwargs={"uai": world.a.school.uai}), {"q": "awa.diallo"})
    assert [row.user.username for row in listed.context["rows"]] == ["awa.diallo"]


def test_local_logins_stay_unique(world):
    UserFactory(username="awa.diallo")  # someone elsewhere already has the plain login
    assert signed_in(world.a.direction).post(new_account_url(world.a.school), LOCAL_PERSON).status_code == 200
    # A namesake in another school is another person: a new login, numbered again.
    assert signed_in(world.b.direction).post(new_account_url(world.b.school), LOCAL_PERSON).status_code == 200
    logins = set(User.objects.filter(first_name="Awa", last_name="Diallo").values_list("username", flat=True))
    assert logins == {"awa.diallo2", "awa.diallo3"}


def test_the_same_active_person_twice_in_a_school_is_refused(world):
    head = signed_in(world.a.direction)
    head.post(new_account_url(world.a.school), LOCAL_PERSON)
    users = User.objects.count()
    again = head.post(new_account_url(world.a.school), {**LOCAL_PERSON, "first_name": "AWA", "profile": "teacher"})
    assert again.status_code == 200
    assert "AWA Diallo a déjà un compte actif dans l'établissement" in text_of(again)
    assert User.objects.count() == users
    assert ActivationCode.objects.filter(user__username__startswith="awa.diallo").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"profile": Profile.DIRECTION}, "Un compte local est celui d"),
        ({"profile": Profile.PARENT}, "Un compte local est celui d"),
        ({"first_name": "  "}, "Saisissez le prénom."),
        ({"last_name": ""}, "Saisissez le nom."),
        ({"email": "awa@"}, "Saisissez une adresse électronique valide"),
        ({"phone": "06 12"}, "Saisissez un numéro de téléphone français"),
    ],
)
def test_bad_local_accounts_are_refused_in_french(world, changes, message):
    users = User.objects.count()
    response = signed_in(world.a.direction).post(new_account_url(world.a.school), {**LOCAL_PERSON, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users


def test_a_teacher_cannot_create_local_accounts(world):
    teacher = signed_in(world.a.teacher)
    users = User.objects.count()
    assert teacher.get(new_account_url(world.a.school)).status_code == 403
    assert teacher.post(new_account_url(world.a.school), LOCAL_PERSON).status_code == 403
    assert User.objects.count() == users


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
