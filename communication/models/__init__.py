"""The models of communication: notifications, messaging (and, with its parts, announcements)."""

from communication.models.messaging import (
    Conversation,
    Draft,
    Message,
    MessageAttachment,
    MessageReport,
    MessagingSettings,
    ModerationEvent,
    Participant,
    PolicyRule,
    Reach,
    SendingLimit,
)
from communication.models.notifications import Notification

__all__ = [
    "Conversation",
    "Draft",
    "Message",
    "MessageAttachment",
    "MessageReport",
    "MessagingSettings",
    "ModerationEvent",
    "Notification",
    "Participant",
    "PolicyRule",
    "Reach",
    "SendingLimit",
]
