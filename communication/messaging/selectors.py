"""Reads of the messaging; each page's queries are fixed here and do not grow with the mailbox.

Fetching a conversation, a message or an attachment goes through `access_*`: participant (or, where the
school allows it, the parent of a young participant) or "not found", so another school's id reveals nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.models import Guardianship, User
from communication.messaging.models import (
    Conversation,
    Draft,
    Message,
    MessageAttachment,
    MessageReport,
    ModerationEvent,
    Participant,
)
from communication.messaging.policy import Policy
from schools.access import not_found
from schools.models import School

INBOX, SENT, DRAFTS, TRASH = "inbox", "sent", "drafts", "trash"
FOLDERS = (INBOX, SENT, DRAFTS, TRASH)
PER_PAGE = 25
_MAX_ID = 2**63 - 1
# The age below which a school may let parents read their child's messages (digital majority, law of 7 July 2023).
YOUNG_CHILD_AGE = 15


@dataclass
class Counts:
    unread: int = 0
    drafts: int = 0


def folder_counts(user: Any, school: School) -> Counts:
    """The unread messages of the inbox and the number of drafts: two queries."""
    unread = Participant.objects.filter(school=school, user=user, received=True, trashed=False).aggregate(
        total=Sum("unread")
    )["total"]
    return Counts(unread=unread or 0, drafts=Draft.objects.filter(school=school, author=user).count())


def _folder_filter(folder: str) -> Q:
    if folder == SENT:
        return Q(sent=True, trashed=False)
    if folder == TRASH:
        return Q(trashed=True)
    return Q(received=True, trashed=False)


def mailbox(user: Any, school: School, folder: str, *, search: str = "", page: int = 1) -> Page[Participant]:
    """One folder's conversations, newest first, with their other participants: four queries for a page
    (count, rows, participants with their users)."""
    rows = (
        Participant.objects.filter(school=school, user=user)
        .filter(_folder_filter(folder))
        .select_related("conversation")
        .order_by("-conversation__last_message_at", "-pk")
    )
    for term in search.split()[:5]:
        in_body = Message.objects.filter(school=school, conversation=OuterRef("conversation"), body__icontains=term)
        rows = rows.filter(Q(conversation__subject__icontains=term) | Exists(in_body))
    found = Paginator(rows, PER_PAGE).get_page(page)
    conversations = [row.conversation for row in found.object_list]
    _with_people(school, conversations)
    return found


def _with_people(school: School, conversations: list[Conversation]) -> None:
    """Each conversation's participants and their users, in one query (`conversation.people`)."""
    people: dict[int, list[Participant]] = {c.pk: [] for c in conversations}
    for row in (
        Participant.objects.filter(school=school, conversation__in=conversations)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        people[row.conversation_id].append(row)
    for conversation in conversations:
        conversation.people = people[conversation.pk]  # type: ignore[attr-defined]


def drafts(user: Any, school: School) -> QuerySet[Draft]:
    return Draft.objects.filter(school=school, author=user).annotate(files=Count("attachments")).order_by("-updated_at")


def access_draft(user: Any, school: School, draft_id: int) -> Draft:
    found = Draft.objects.filter(school=school, author=user, pk=draft_id).first() if 0 < draft_id <= _MAX_ID else None
    if found is None:
        not_found(_("Ce brouillon n'existe pas."))
    return found


def young_children(user: Any, school: School, policy: Policy) -> QuerySet[User]:
    """The children of a parent whose messages the school lets them read (under 15), else none."""
    if not policy.settings.parents_read_young_children:
        return User.objects.none()
    born_after = _years_before(timezone.localdate(), YOUNG_CHILD_AGE)
    links = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True)
    return User.objects.filter(pk__in=links.values("student"), birth_date__gt=born_after)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Access:
    """How a user reaches a conversation: as its participant, or reading over a young child's shoulder."""

    conversation: Conversation
    participant: Participant | None
    child: User | None = None

    @property
    def can_write(self) -> bool:
        return self.participant is not None


def access_conversation(user: Any, school: School, conversation_id: int, policy: Policy) -> Access:
    """A conversation the user takes part in (or a young child's, when the school allows it), else 404."""
    if 0 < conversation_id <= _MAX_ID:
        own = (
            Participant.objects.filter(school=school, user=user, conversation_id=conversation_id)
            .select_related("conversation")
            .first()
        )
        if own is not None:
            return Access(conversation=own.conversation, participant=own)
        child_row = (
            Participant.objects.filter(
                school=school, conversation_id=conversation_id, user__in=young_children(user, school, policy)
            )
            .select_related("conversation", "user")
            .first()
        )
        if child_row is not None:
            return Access(conversation=child_row.conversation, participant=None, child=child_row.user)
    not_found(_("Cette conversation n'existe pas ou vous n'y avez pas accès."))


@dataclass
class Thread:
    access: Access
    messages: list[Message] = field(default_factory=list)
    people: list[Participant] = field(default_factory=list)


def thread(school: School, access: Access) -> Thread:
    """A conversation's messages with their authors and attachments, and its participants: three queries."""
    conversation = access.conversation
    messages = list(
        Message.objects.filter(school=school, conversation=conversation)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=MessageAttachment.objects.filter(school=school).order_by("pk"))
        )
    )
    people = list(
        Participant.objects.filter(school=school, conversation=conversation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return Thread(access=access, messages=messages, people=people)


def _reachable_conversations(user: Any, school: School, policy: Policy) -> QuerySet[Participant]:
    readers = Q(user=user) | Q(user__in=young_children(user, school, policy))
    return Participant.objects.filter(school=school).filter(readers)


def access_attachment(user: Any, school: School, attachment_id: int, policy: Policy) -> MessageAttachment:
    """A file of a message the user may read (or of their own draft), else 404."""
    if 0 < attachment_id <= _MAX_ID:
        conversations = _reachable_conversations(user, school, policy).values("conversation")
        found = (
            MessageAttachment.objects.filter(school=school, pk=attachment_id)
            .filter(Q(message__conversation__in=conversations) | Q(draft__author=user))
            .first()
        )
        if found is not None:
            return found
    not_found(_("Ce document n'existe pas ou vous n'y avez pas accès."))


def access_message(user: Any, school: School, message_id: int) -> Message:
    """A message of a conversation the user takes part in (to report it), else 404."""
    if 0 < message_id <= _MAX_ID:
        mine = Participant.objects.filter(school=school, user=user).values("conversation")
        found = Message.objects.filter(school=school, pk=message_id, conversation__in=mine).first()
        if found is not None:
            return found
    not_found(_("Ce message n'existe pas ou vous n'y avez pas accès."))


def child_mailbox(school: School, child: User) -> list[Participant]:
    rows = list(
        Participant.objects.filter(school=school, user=child)
        .select_related("conversation")
        .order_by("-conversation__last_message_at")[:PER_PAGE]
    )
    _with_people(school, [row.conversation for row in rows])
    return rows


def reports(school: School) -> list[MessageReport]:
    return list(
        MessageReport.objects.filter(school=school)
        .select_related("reporter", "message__author", "message__conversation")
        .order_by("-created_at")[:100]
    )


def moderation_log(school: School) -> list[ModerationEvent]:
    return list(
        ModerationEvent.objects.filter(school=school).select_related("actor").order_by("-created_at", "-pk")[:100]
    )
