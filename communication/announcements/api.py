"""The API of announcements: `GET /api/v1/<uai>/announcements/`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView

from annuaire.api.permissions import module_permissions
from communication.announcements.modules import ANNOUNCEMENTS
from communication.announcements.permissions import VIEW_ANNOUNCEMENTS
from communication.announcements.selectors import current_announcements
from communication.announcements.serializers import AnnouncementSerializer
from schools.requests import current_school, signed_in


@extend_schema_view(
    get=extend_schema(
        operation_id="announcements",
        summary=gettext_lazy("Actualités en cours adressées à l'utilisateur"),
        description=gettext_lazy("Les plus récentes d'abord, avec l'état de lecture (`is_read`)."),
        tags=["communication"],
    )
)
class AnnouncementsView(ListAPIView):  # type: ignore[type-arg]
    permission_classes = module_permissions(ANNOUNCEMENTS, VIEW_ANNOUNCEMENTS)
    serializer_class = AnnouncementSerializer

    def get_queryset(self) -> Any:
        return current_announcements(signed_in(self.request), current_school(self.request), timezone.now())
