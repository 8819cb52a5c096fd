"""The models of communication: notifications and their preferences, messaging, announcements."""

from communication.models.announcements import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
)
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
from communication.models.preferences import Category, Channel, Digest, DigestSent, NotificationPreferences

__all__ = [
    "Announcement",
    "AnnouncementAudience",
    "AnnouncementRead",
    "AnnouncementSettings",
    "Category",
    "Channel",
    "Conversation",
    "Digest",
    "DigestSent",
    "Draft",
    "Message",
    "MessageAttachment",
    "MessageReport",
    "MessagingSettings",
    "ModerationEvent",
    "Notification",
    "NotificationPreferences",
    "Participant",
    "PolicyRule",
    "Reach",
    "SendingLimit",
]
