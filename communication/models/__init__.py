"""The models of communication: notifications (and, with their parts, messaging and announcements)."""

from communication.models.announcements import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
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
    "Digest",
    "DigestSent",
    "Notification",
    "NotificationPreferences",
]
