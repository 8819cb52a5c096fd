"""Serializers of the messaging API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communication.messaging.models import Participant


class SendSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=200,
        allow_empty=False,
        help_text=_("Personnes (« user:12 ») ou groupes (« division_parents:3 », « direction »…)."),
    )
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10_000)


def conversation_data(row: Participant) -> dict[str, Any]:
    """One conversation of the user's mailbox: its subject, other participants and unread count."""
    conversation = row.conversation
    people = getattr(conversation, "people", [])
    return {
        "id": conversation.pk,
        "subject": conversation.subject,
        "last_message_at": conversation.last_message_at.isoformat(),
        "unread": row.unread,
        "folder": "trash" if row.trashed else ("inbox" if row.received else "sent"),
        "participants": [
            {"id": person.user_id, "name": person.user.get_full_name()}
            for person in people
            if person.user_id != row.user_id
        ],
    }
