"""The API of a person's notifications: `GET /api/v1/notifications/`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from annuaire.api.permissions import query_params
from communication.notifications.selectors import notifications_of, user_school_ids
from communication.notifications.serializers import NotificationQuerySerializer, NotificationSerializer
from schools.requests import signed_in
from schools.tenancy import schools_scope


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
