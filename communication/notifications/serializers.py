"""Payloads of the notifications API."""

from __future__ import annotations

from rest_framework import serializers

from communication.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    school = serializers.CharField(source="school.uai", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    # In the request's language, as the pages show them.
    title = serializers.CharField(source="display_title", read_only=True)
    body = serializers.CharField(source="display_body", read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "school", "school_name", "kind", "title", "body", "url", "created_at", "read_at", "unread"]

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


class NotificationQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    unread = serializers.BooleanField(required=False, default=False)
