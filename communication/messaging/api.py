"""The messaging API: GET /api/v1/<uai>/conversations/ (the user's conversations with unread counts),
POST to send, under the same policy, limits and switch as the pages (refusals in French)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annuaire.api.permissions import module_permissions
from communication.messaging import selectors
from communication.messaging.modules import MESSAGING
from communication.messaging.permissions import USE_MESSAGING
from communication.messaging.serializers import SendSerializer, conversation_data
from communication.messaging.services.sending import send_message
from schools.requests import current_school, signed_in

PERMISSIONS = module_permissions(
    MESSAGING, USE_MESSAGING, message=gettext_lazy("Vous n'avez pas accès à la messagerie de cet établissement.")
)
FOLDERS = {"inbox": selectors.INBOX, "sent": selectors.SENT, "trash": selectors.TRASH}


class ConversationsView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        parameters=[
            OpenApiParameter("folder", OpenApiTypes.STR, enum=list(FOLDERS)),
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, uai: str) -> Response:
        school = current_school(request)
        user = signed_in(request)
        folder = FOLDERS.get(request.query_params.get("folder", "inbox"))
        if folder is None:
            raise exceptions.ValidationError({"folder": [gettext_lazy("Dossier inconnu : inbox, sent ou trash.")]})
        raw_page = request.query_params.get("page", "1")
        page = selectors.mailbox(
            user,
            school,
            folder,
            search=request.query_params.get("q", "")[:100],
            page=int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1,
        )
        counts = selectors.folder_counts(user, school)
        return Response(
            {
                "unread": counts.unread,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": [conversation_data(row) for row in page.object_list],
            }
        )

    @extend_schema(request=SendSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, uai: str) -> Response:
        school = current_school(request)
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            conversations = send_message(school=school, sender=signed_in(request), **data.validated_data)
        except ValidationError as error:
            raise exceptions.ValidationError({"detail": error.messages}) from error
        return Response({"conversations": [c.pk for c in conversations]}, status=status.HTTP_201_CREATED)
