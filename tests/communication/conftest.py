"""Helpers of the messaging tests: a sending in one school's scope, a signed-in client."""

from __future__ import annotations

from typing import Any

from django.test import Client

from annuaire.models import User
from communication.messaging.policy import Verdict, explain, load_policy
from communication.messaging.services.sending import send_message
from schools.tenancy import school_scope
from tests.world import SchoolCast


def send(cast: SchoolCast, sender: User, recipients: list[str], **extra: Any) -> list[Any]:
    with school_scope(cast.school):
        return send_message(
            school=cast.school,
            sender=sender,
            recipients=recipients,
            subject=extra.pop("subject", "Bonjour"),
            body=extra.pop("body", "Un message."),
            **extra,
        )


def why(cast: SchoolCast, sender: User, recipient: User) -> Verdict:
    with school_scope(cast.school):
        return explain(sender, cast.school, recipient, load_policy(cast.school))


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
