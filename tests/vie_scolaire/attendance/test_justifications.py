"""Families justify absences and lateness with their documents; the office accepts or refuses.
(Declarations, who reads what and the office's own writes: test_declarations_and_office.py.)"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from annuaire.models import Profile
from communication.models import Notification
from schools.tenancy import school_scope
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory
from tests.vie_scolaire.attendance.attendance_support import (
    HTML,
    LAST_MONDAY,
    PNG,
    decide_url,
    declare_url,
    document,
    document_url,
    justify_url,
    lateness,
    lesson_on,
    page,
    reason,
    refreshed,
    roll_call_absence,
    stored_files,
    student_url,
    text,
)
from tests.vie_scolaire.conftest import Timetable
from tests.world import World
from vie_scolaire.attendance.services.justifications import decide_justification, justify, set_reason
from vie_scolaire.models import Justification, Lateness

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_evening")]


# --- A family justifies, the office decides ---------------------------------------------------


def test_a_parent_justifies_and_the_office_refuses_with_a_message_the_family_reads(
    client: Client, timetable: Timetable, tmp_path: Path
) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(cast.parent)
    assert "Non justifiée" in page(client, student_url(cast.school, cast.student))
    response = client.post(
        justify_url(cast.school, cast.student),
        {
            "absences": [absence.pk],
            "reason": reason(cast.school, "MALADIE").pk,
            "comment": "Fièvre",
            "document": document(),
        },
    )
    assert response.status_code == 302
    justification = refreshed(absence).justification
    assert justification is not None and justification.status == Justification.Status.PENDING
    assert justification.submitted_by_id == cast.parent.pk and justification.document.name.endswith(".pdf")
    assert "Justificatif en attente" in page(client, student_url(cast.school, cast.student))

    client.force_login(cast.staff)
    queue = page(client, reverse("attendance:justifications", kwargs={"uai": cast.school.uai}))
    assert cast.student.get_full_name() in queue and cast.division.name in queue and "Fièvre" in queue
    # A refusal without a word for the family is refused itself.
    client.post(decide_url(justification), {"decision": "refuse", "message": ""})
    assert refreshed(absence).justification.status == Justification.Status.PENDING
    client.post(decide_url(justification), {"decision": "refuse", "message": "Certificat illisible"})

    absence = refreshed(absence)
    assert absence.justification.status == Justification.Status.REFUSED
    assert absence.reason is None  # still unjustified
    with school_scope(cast.school):
        told = Notification.objects.get(kind="attendance.justification")
    assert told.recipient_id == cast.parent.pk and "refusé" in told.title and told.body == "Certificat illisible"
    assert told.url == student_url(cast.school, cast.student)
    client.force_login(cast.parent)
    family = page(client, student_url(cast.school, cast.student))
    assert "Justificatif refusé" in family and "Certificat illisible" in family
    # Refused, the absence may be justified again.
    assert f'name="absences" value="{absence.pk}"' in family


def test_the_office_accepts_with_a_corrected_reason_for_every_absence_and_lateness(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    late = lateness(cast.student, lesson_on(timetable.group_lesson, datetime.date(2026, 11, 26)))
    client.force_login(cast.parent)
    client.post(
        justify_url(cast.school, cast.student),
        {"absences": [absence.pk], "latenesses": [late.pk], "reason": reason(cast.school, "AUTRE").pk},
    )
    justification = refreshed(absence).justification
    assert Lateness.unscoped.get(pk=late.pk).justification_id == justification.pk

    client.force_login(cast.staff)
    transport = reason(cast.school, "TRANSPORT")
    response = client.post(decide_url(justification), {"decision": "accept", "reason": transport.pk})
    assert response.status_code == 302
    assert refreshed(absence).reason == transport
    assert Lateness.unscoped.get(pk=late.pk).reason == transport
    justification.refresh_from_db()
    assert (justification.status, justification.decided_by_id) == (Justification.Status.ACCEPTED, cast.staff.pk)
    assert justification.reason.code == "AUTRE"  # what the family said stays on record
    client.force_login(cast.parent)
    family = page(client, student_url(cast.school, cast.student))
    assert "Justifiée" in family and "Justifié" in family and transport.label in family
    assert "Rien à justifier pour le moment." in family


def test_a_decided_justification_is_not_decided_again_and_accepting_needs_a_reason_that_justifies(
    timetable: Timetable,
) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
        )
        with pytest.raises(ValidationError, match="motif qui justifie"):
            decide_justification(
                justification=justification,
                decided_by=cast.staff,
                accept=True,
                reason=reason(cast.school, "NON_RECEVABLE"),
            )
        decide_justification(justification=justification, decided_by=cast.staff, accept=True)
        with pytest.raises(ValidationError, match="déjà été traitée"):
            decide_justification(justification=justification, decided_by=cast.staff, accept=False, message="Non")
    assert refreshed(absence).reason.code == "MALADIE"


# --- What a family may not justify --------------------------------------------------------------


def test_a_parent_cannot_justify_another_familys_child(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.classmate, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(cast.parent)
    body = {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk}
    assert client.post(justify_url(cast.school, cast.classmate), body).status_code == 404
    assert client.get(student_url(cast.school, cast.classmate)).status_code == 404
    assert client.get(declare_url(cast.school, cast.classmate)).status_code == 404
    assert refreshed(absence).justification is None
    assert not Justification.unscoped.exists()


def test_a_forged_absence_id_of_another_student_is_refused_and_nothing_changes(
    client: Client, timetable: Timetable
) -> None:
    cast = timetable.cast
    lesson = lesson_on(timetable.maths, LAST_MONDAY)
    own, foreign = roll_call_absence(cast.student, lesson), roll_call_absence(cast.classmate, lesson)
    foreign_late = lateness(cast.classmate, lesson_on(timetable.maths, datetime.date(2026, 11, 16)))
    client.force_login(cast.parent)
    response = client.post(
        justify_url(cast.school, cast.student),
        {"absences": [own.pk, foreign.pk], "reason": reason(cast.school, "MALADIE").pk},
    )
    content = text(response)
    assert response.status_code == 200 and 'role="alert"' in content
    assert "Une des absences choisies est inconnue." in content
    assert not Justification.unscoped.exists()
    assert refreshed(own).justification is None and refreshed(foreign).justification is None
    with school_scope(cast.school), pytest.raises(ValidationError, match="retards choisis est inconnu"):
        justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            lateness_ids=[foreign_late.pk],
            reason=reason(cast.school, "MALADIE"),
        )
    assert not Justification.unscoped.exists()


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        ("justified", "est déjà justifiée"),
        ("pending", "a déjà un justificatif en attente"),
    ],
)
def test_justified_or_pending_absences_are_not_justified_again(
    timetable: Timetable, prepare: str, message: str
) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school):
        if prepare == "justified":
            set_reason(
                school=cast.school,
                student=cast.student,
                absence_ids=[absence.pk],
                reason=reason(cast.school, "SCOLAIRE"),
                decided_by=cast.staff,
            )
        else:
            justify(
                school=cast.school,
                student=cast.student,
                submitted_by=cast.parent,
                absence_ids=[absence.pk],
                reason=reason(cast.school, "MALADIE"),
            )
        before = Justification.objects.count()
        with pytest.raises(ValidationError, match=message):
            justify(
                school=cast.school,
                student=cast.student,
                submitted_by=cast.parent,
                absence_ids=[absence.pk],
                reason=reason(cast.school, "FAMILLE"),
            )
        assert Justification.objects.count() == before


def test_families_choose_only_the_reasons_the_school_offers_them(timetable: Timetable) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school), pytest.raises(ValidationError, match="pas proposé aux familles"):
        justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "SCOLAIRE"),
        )


def test_a_guardian_who_is_not_a_legal_representative_cannot_justify(client: Client, timetable: Timetable) -> None:
    cast = timetable.cast
    contact = UserFactory(username="contact.a")
    MembershipFactory(school=cast.school, user=contact, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.student, guardian=contact, legal_representative=False)
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(contact)
    body = {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk}
    assert client.post(justify_url(cast.school, cast.student), body).status_code == 404
    assert "Justifier une absence" not in page(client, student_url(cast.school, cast.student))
    assert refreshed(absence).justification is None


# --- Documents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: document(b"%PDF-1.4\n" + b"x" * 2000), "dépasse la taille maximale"),
        (lambda: document(HTML, name="certificat.pdf"), "doit être un PDF ou une image PNG ou JPEG"),
        (lambda: document(b"", name="vide.pdf"), "Le justificatif est vide"),
    ],
    ids=["oversized", "html-named-pdf", "empty"],
)
def test_a_bad_document_is_refused_in_french_and_nothing_is_stored(
    client: Client,
    timetable: Timetable,
    settings,
    tmp_path: Path,
    upload,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    settings.ATTENDANCE_DOCUMENT_MAX_BYTES = 1000
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    client.force_login(cast.parent)
    response = client.post(
        justify_url(cast.school, cast.student),
        {"absences": [absence.pk], "reason": reason(cast.school, "MALADIE").pk, "document": upload()},
    )
    assert message in text(response) and 'role="alert"' in text(response)
    assert not Justification.unscoped.exists() and refreshed(absence).justification is None
    assert stored_files(tmp_path) == []


def test_the_document_is_served_by_its_bytes_as_an_attachment_to_the_family_and_the_office_only(
    client: Client, world: World, timetable: Timetable
) -> None:
    cast = timetable.cast
    absence = roll_call_absence(cast.student, lesson_on(timetable.maths, LAST_MONDAY))
    with school_scope(cast.school):
        justification = justify(
            school=cast.school,
            student=cast.student,
            submitted_by=cast.parent,
            absence_ids=[absence.pk],
            reason=reason(cast.school, "MALADIE"),
            document=document(PNG, name="photo.pdf"),  # a photo under a PDF's name: stored as what it is
        )
    assert justification.document.name.endswith(".png")
    for person in (cast.parent, cast.student, cast.staff, cast.direction):
        client.force_login(person)
        response = client.get(document_url(justification))
        assert response.status_code == 200, person
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]

    other_parent = UserFactory(username="autre.parent.a")
    MembershipFactory(school=cast.school, user=other_parent, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=other_parent)
    for person in (other_parent, cast.classmate, cast.teacher):
        client.force_login(person)
        assert client.get(document_url(justification)).status_code == 404, person
    # Another school's office: its own address with this school's id, then this school's address.
    client.force_login(world.b.staff)
    other_address = reverse(
        "attendance:document", kwargs={"uai": world.b.school.uai, "justification_id": justification.pk}
    )
    assert client.get(other_address).status_code == 404
    assert client.get(document_url(justification)).status_code in (403, 404)
