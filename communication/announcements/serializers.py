"""Payloads of the announcements API."""

from __future__ import annotations

from rest_framework import serializers

from communication.announcements.models import Announcement


class AnnouncementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "publish_at", "expires_at", "is_read"]
