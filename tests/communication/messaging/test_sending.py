"""Sending and reading: copies per recipient, the abuse controls (each logged), reports, attachments, the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from annuaire.models import Profile
from communication.messaging.services.moderation import report_message, set_suspension
from communication.messaging.services.sending import Files
from communication.models import Conversation, Message, ModerationEvent, Notification, Participant
from schools.tenancy import school_scope
from tests.communication.conftest import client_of, send
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory
from tests.world import SchoolCast, World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def second_family(cast: SchoolCast) -> object:
    """The classmate's parent: a second family of the division."""
    parent = UserFactory(first_name="Inès", last_name="Secondefamille")
    MembershipFactory(school=cast.school, user=parent, profile=Profile.PARENT)
    GuardianshipFactory(school=cast.school, student=cast.classmate, guardian=parent)
    return parent


def events(cast: SchoolCast, kind: str) -> int:
    with school_scope(cast.school):
        return ModerationEvent.objects.filter(kind=kind).count()


def test_a_group_sending_goes_out_as_copies_that_name_no_other_recipient(world: World) -> None:
    a = world.a
    # Names no one else of the world can have by chance (the factories draw them at random).
    a.parent.first_name, a.parent.last_name = "Andréa", "Premierefamille"
    a.parent.save(update_fields=["first_name", "last_name"])
    other_parent = second_family(a)
    conversations = send(a, a.teacher, [f"division_parents:{a.division.pk}"], subject="Sortie au musée")
    assert len(conversations) == 2
    with school_scope(a.school):
        for conversation in conversations:
            people = set(Participant.objects.filter(conversation=conversation).values_list("user", flat=True))
            assert len(people) == 2 and a.teacher.pk in people
        assert Notification.objects.filter(kind="message.new", recipient__in=[a.parent, other_parent]).count() == 2
    for reader, other in ((a.parent, other_parent), (other_parent, a.parent)):
        client = client_of(reader)
        inbox = client.get(f"/{a.school.uai}/messagerie/").content.decode()
        assert "Sortie au musée" in inbox
        mine = Participant.unscoped.get(user=reader, conversation__in=conversations).conversation_id
        page = client.get(f"/{a.school.uai}/messagerie/conversations/{mine}/").content.decode()
        for text in (other.last_name, other.first_name, other.email):
            assert text not in inbox and text not in page


def test_colleagues_written_to_together_share_one_conversation(world: World) -> None:
    a = world.a
    conversations = send(a, a.direction, [f"user:{a.teacher.pk}", f"user:{a.staff.pk}"])
    assert len(conversations) == 1


def test_several_families_chosen_one_by_one_still_get_separate_copies(world: World) -> None:
    a = world.a
    other_parent = second_family(a)
    assert len(send(a, a.teacher, [f"user:{a.parent.pk}", f"user:{other_parent.pk}"])) == 2


def test_a_student_may_not_write_to_more_than_30_people(world: World) -> None:
    a = world.a
    with school_scope(a.school):
        from communication.messaging.policy import DEFAULT_LIMITS, DEFAULT_REACH
        from communication.messaging.services.moderation import set_policy

        reach = dict(DEFAULT_REACH)
        reach[(Profile.STUDENT, Profile.STUDENT)] = "school"
        set_policy(
            school=a.school, by=a.direction, reach=reach, limits=dict(DEFAULT_LIMITS), parents_read_young_children=False
        )
    others = []
    for _ in range(31):
        student = UserFactory()
        MembershipFactory(school=a.school, user=student, profile=Profile.STUDENT, division=a.other_division)
        others.append(student)
    with pytest.raises(ValidationError, match="au plus 30 destinataires"):
        send(a, a.student, [f"user:{u.pk}" for u in others])
    assert events(a, ModerationEvent.Kind.RECIPIENT_CAP) == 1
    assert len(send(a, a.student, [f"user:{u.pk}" for u in others[:30]])) == 30


def test_a_student_sends_a_few_messages_a_minute_then_waits(world: World) -> None:
    a = world.a
    for number in range(5):
        send(a, a.student, [f"user:{a.teacher.pk}"], subject=f"Question {number}")
    with pytest.raises(ValidationError, match="dans la dernière minute"):
        send(a, a.student, [f"user:{a.teacher.pk}"])
    assert events(a, ModerationEvent.Kind.RATE_LIMIT) == 1
    with school_scope(a.school):
        assert Message.objects.filter(author=a.student).count() == 5
    # The teacher's allowance is their own.
    send(a, a.teacher, [f"user:{a.student.pk}"])


def test_the_school_switch_stops_sending_at_once_and_is_logged(world: World) -> None:
    a = world.a
    send(a, a.student, [f"user:{a.teacher.pk}"])
    response = client_of(a.direction).post(f"/{a.school.uai}/messagerie/suspension/", {"students": "on"})
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="suspendu"):
        send(a, a.student, [f"user:{a.teacher.pk}"])
    api = client_of(a.student).post(
        f"/api/v1/{a.school.uai}/conversations/",
        {"recipients": [f"user:{a.teacher.pk}"], "subject": "Test", "body": "Encore"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "suspendu" in api.json()["detail"][0]
    send(a, a.parent, [f"user:{a.teacher.pk}"])  # parents are not suspended
    assert events(a, ModerationEvent.Kind.SWITCH) == 1
    assert events(a, ModerationEvent.Kind.SUSPENDED) == 2
    with school_scope(a.school):
        set_suspension(school=a.school, by=a.direction, students=False, parents=False)
    send(a, a.student, [f"user:{a.teacher.pk}"])


def test_the_city_admin_reaches_the_switch_but_no_message(world: World) -> None:
    a = world.a
    city = client_of(world.city_admin)
    assert city.post(f"/{a.school.uai}/messagerie/suspension/", {"parents": "on"}).status_code == 302
    with school_scope(a.school):
        assert ModerationEvent.objects.get(kind=ModerationEvent.Kind.SWITCH).actor == world.city_admin
    assert city.get(f"/{a.school.uai}/messagerie/").status_code in (302, 403)


def test_a_report_reaches_the_direction(world: World) -> None:
    a = world.a
    conversation = send(a, a.teacher, [f"user:{a.student.pk}"], body="Message déplacé")[0]
    with school_scope(a.school):
        message = Message.objects.get(conversation=conversation)
    response = client_of(a.student).post(
        f"/{a.school.uai}/messagerie/messages/{message.pk}/signaler/", {"reason": "Propos blessants"}
    )
    assert response.status_code == 302
    with school_scope(a.school):
        notice = Notification.objects.get(kind="message.reported")
        assert notice.recipient == a.direction
        assert ModerationEvent.objects.filter(kind=ModerationEvent.Kind.REPORT, message=message).exists()
    page = client_of(a.direction).get(notice.url).content.decode()
    assert "Message déplacé" in page and "Propos blessants" in page
    # Only a participant reports: the classmate is told the message does not exist.
    assert client_of(a.classmate).post(f"/{a.school.uai}/messagerie/messages/{message.pk}/signaler/").status_code == 404


def test_reporting_needs_no_page_to_be_logged(world: World) -> None:
    a = world.a
    conversation = send(a, a.teacher, [f"user:{a.parent.pk}"])[0]
    with school_scope(a.school):
        message = Message.objects.get(conversation=conversation)
        report_message(school=a.school, reporter=a.parent, message=message, reason="")
    assert events(a, ModerationEvent.Kind.REPORT) == 1


def test_attachments_are_served_to_participants_only(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    a = world.a
    upload = SimpleUploadedFile("certificat.pdf", PDF, content_type="application/pdf")
    conversation = send(a, a.parent, [f"user:{a.teacher.pk}"], files=Files(uploads=[upload]))[0]
    with school_scope(a.school):
        attachment = Message.objects.get(conversation=conversation).attachments.get()
    url = f"/{a.school.uai}/messagerie/pieces-jointes/{attachment.pk}/"
    response = client_of(a.teacher).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_of(a.classmate).get(url).status_code == 404
    assert client_of(a.direction).get(url).status_code == 404


def test_attachments_are_checked_by_their_bytes_and_size(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    a = world.a
    fake = SimpleUploadedFile("photo.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="joignez un PDF"):
        send(a, a.parent, [f"user:{a.teacher.pk}"], files=Files(uploads=[fake]))
    settings.MESSAGE_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="taille maximale"):
        send(a, a.parent, [f"user:{a.teacher.pk}"], files=Files(uploads=[SimpleUploadedFile("a.pdf", PDF)]))


def test_a_parent_writes_a_teacher_replies_and_unread_counts_follow(world: World) -> None:
    a = world.a
    parent, teacher = client_of(a.parent), client_of(a.teacher)
    response = parent.post(
        f"/{a.school.uai}/messagerie/nouveau/",
        {"recipients": [f"user:{a.teacher.pk}"], "subject": "Devoirs", "body": "Bonjour", "action": "send"},
    )
    assert response.status_code == 302
    conversation = Conversation.unscoped.get(subject="Devoirs")
    assert "1 non lu" in teacher.get(f"/{a.school.uai}/messagerie/").content.decode()
    url = f"/{a.school.uai}/messagerie/conversations/{conversation.pk}/"
    assert teacher.post(url, {"action": "reply", "body": "Bien reçu"}).status_code == 302
    assert "1 non lu" not in teacher.get(f"/{a.school.uai}/messagerie/").content.decode()
    api = parent.get(f"/api/v1/{a.school.uai}/conversations/").json()
    assert api["unread"] == 1 and api["results"][0]["subject"] == "Devoirs"
    assert "Bien reçu" in parent.get(url).content.decode()


def test_drafts_are_kept_and_sent_later(world: World) -> None:
    a = world.a
    parent = client_of(a.parent)
    data = {"recipients": [f"user:{a.teacher.pk}"], "subject": "Brouillon", "body": "À finir", "action": "draft"}
    response = parent.post(f"/{a.school.uai}/messagerie/nouveau/", data)
    assert response.status_code == 302
    assert "Brouillon" in parent.get(f"/{a.school.uai}/messagerie/brouillons/").content.decode()
    page = parent.get(response["Location"]).content.decode()
    assert "À finir" in page
    assert parent.post(response["Location"], {**data, "action": "send"}).status_code == 302
    assert "Brouillon" in client_of(a.teacher).get(f"/{a.school.uai}/messagerie/").content.decode()
    assert "À finir" not in parent.get(f"/{a.school.uai}/messagerie/brouillons/").content.decode()


def test_the_compose_search_says_why_a_person_is_out_of_reach(world: World) -> None:
    a = world.a
    page = client_of(a.student).post(
        f"/{a.school.uai}/messagerie/nouveau/", {"search": a.direction.last_name, "action": "search"}
    )
    text = page.content.decode()
    assert "« Élève → Direction »" in text


def test_search_finds_only_ones_own_messages(world: World) -> None:
    a = world.a
    send(a, a.teacher, [f"user:{a.parent.pk}"], subject="Réunion", body="Parlons du trimestre")
    send(a, a.teacher, [f"user:{a.staff.pk}"], subject="Autre", body="trimestre aussi")
    page = client_of(a.parent).get(f"/{a.school.uai}/messagerie/?q=trimestre").content.decode()
    assert "Réunion" in page and "Autre" not in page


def test_the_api_sends_under_the_same_policy_with_french_refusals(world: World) -> None:
    a = world.a
    client = client_of(a.student)
    refused = client.post(
        f"/api/v1/{a.school.uai}/conversations/",
        {"recipients": [f"user:{a.classmate.pk}"], "subject": "Salut", "body": "Coucou"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "« Élève → Élève »" in refused.json()["detail"][0]
    sent = client.post(
        f"/api/v1/{a.school.uai}/conversations/",
        {"recipients": [f"user:{a.teacher.pk}"], "subject": "Question", "body": "Pour demain ?"},
        content_type="application/json",
    )
    assert sent.status_code == 201 and len(sent.json()["conversations"]) == 1


def test_a_person_of_another_school_is_never_named(world: World) -> None:
    a, b = world.a, world.b
    with pytest.raises(ValidationError) as refused:
        send(a, a.direction, [f"user:{b.parent.pk}"])
    assert b.parent.last_name not in str(refused.value) and "Destinataire inconnu" in str(refused.value)
    page = client_of(a.direction).post(
        f"/{a.school.uai}/messagerie/nouveau/", {"recipients": [f"user:{b.parent.pk}"], "action": "search"}
    )
    assert b.parent.last_name not in page.content.decode()
