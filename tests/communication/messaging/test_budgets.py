"""The inbox and the conversation page cost a constant number of queries, whatever the mailbox holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communication.models import Conversation
from schools.tenancy import school_scope
from tests.budgets import application_queries
from tests.communication.conftest import client_of, send
from tests.world import World

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(application_queries(captured))


def test_the_inbox_does_not_grow_with_its_conversations(world: World) -> None:
    a = world.a
    client = client_of(a.teacher)
    url = f"/{a.school.uai}/messagerie/"
    send(a, a.parent, [f"user:{a.teacher.pk}"])
    small = count(client, url)
    for number in range(4):
        send(a, a.direction, [f"user:{a.teacher.pk}", f"user:{a.staff.pk}"], subject=f"Réunion {number}")
    assert count(client, url) == small
    assert small <= 20


def test_the_conversation_page_does_not_grow_with_its_messages(world: World) -> None:
    a = world.a
    teacher, parent = client_of(a.teacher), client_of(a.parent)
    conversation = send(a, a.parent, [f"user:{a.teacher.pk}"])[0]
    url = f"/{a.school.uai}/messagerie/conversations/{conversation.pk}/"
    small = count(teacher, url)
    for number in range(4):
        assert teacher.post(url, {"action": "reply", "body": f"Réponse {number}"}).status_code == 302
        assert parent.post(url, {"action": "reply", "body": f"Merci {number}"}).status_code == 302
    with school_scope(a.school):
        assert Conversation.objects.get(pk=conversation.pk).messages.count() == 9
    assert count(teacher, url) == small
    assert small <= 20
