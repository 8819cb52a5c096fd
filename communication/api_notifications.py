"""The API of announcements and notifications: `GET /api/v1/<uai>/announcements/`, `GET /api/v1/notifications/`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from annuaire.api_permissions import module_permissions, query_params
from communication.modules_announcements import ANNOUNCEMENTS
from communication.permissions_announcements import VIEW_ANNOUNCEMENTS
from communication.selectors_announcements import current_announcements
from communication.selectors_notifications import notifications_of, user_school_ids
from communication.serializers_notifications import (
    AnnouncementSerializer,
    NotificationQuerySerializer,
    NotificationSerializer,
)
from schools.requests import current_school, signed_in
from schools.tenancy import schools_scope


class AnnouncementsView(ListAPIView):  # type: ignore[type-arg]
    permission_classes = module_permissions(ANNOUNCEMENTS, VIEW_ANNOUNCEMENTS)
    serializer_class = AnnouncementSerializer

    def get_queryset(self) -> Any:
        return current_announcements(signed_in(self.request), current_school(self.request), timezone.now())

    @extend_schema(
        operation_id="announcements",
        summary=gettext_lazy("Actualités en cours adressées à l'utilisateur"),
        description=gettext_lazy("Les plus récentes d'abord, avec l'état de lecture (`is_read`)."),
        tags=["communication"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationsView(ListAPIView):  # type: ignore[type-arg]
    """The user's notifications of every school they belong to: unread first, or only them with `?unread=1`."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        query = query_params(self.request, NotificationQuerySerializer)
        return notifications_of(signed_in(self.request), unread_only=query["unread"])

    @extend_schema(
        operation_id="notifications",
        summary=gettext_lazy("Mes notifications, tous établissements confondus"),
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description=gettext_lazy("Non lues seulement."))],
        tags=["communication"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A personal route: the school scope is the user's own schools, entered for this read.
        with schools_scope(user_school_ids(signed_in(request))):
            return super().get(request, *args, **kwargs)
