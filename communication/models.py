"""The models of communication, one import so Django registers them under the app label `communication`:
each sub-domain keeps its own in <sub-domain>/models.py (notifications and their preferences,
messaging, announcements)."""

from communication.announcements.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
)
from communication.messaging.models import (
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
from communication.notifications.models import (
    Category,
    Channel,
    Digest,
    DigestSent,
    Notification,
    NotificationPreferences,
)

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
