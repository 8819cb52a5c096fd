"""The models of communication: notifications (and, with their parts, messaging and announcements)."""

from communication.models.notifications import Notification

__all__ = ["Notification"]
