"""Writes of the messaging: send, reply, drafts, trash and read state, under the abuse controls.

Every refusal of the abuse controls (recipient cap, rate limit, suspension) is written to the
moderation log (`moderation.log`) before the sender hears of it, outside the refused transaction so
the row stays.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import Membership, User
from annuaire.selectors import profiles_in
from communication.messaging.models import Conversation, Draft, Message, MessageAttachment, ModerationEvent, Participant
from communication.messaging.policy import FAMILY_SIDE, Limits, Policy, load_policy
from communication.messaging.recipients import resolve
from communication.messaging.services.moderation import log
from communication.notifications.services.notices import Notice, notify, notify_each
from communication.notifications.texts import Text
from schools.documents import TEACHING_KINDS, read_kind
from schools.models import School

MAX_FILES = 5
RATE_WINDOW = datetime.timedelta(minutes=1)
NEW_MESSAGE = "message.new"


class SendingRefused(ValidationError):
    """A refusal of the abuse controls (logged), told apart from a form error."""


@dataclass(frozen=True)
class Files:
    """Attachments checked and ready: uploads (saved once) and stored files of a draft."""

    uploads: Sequence[UploadedFile] = ()
    stored: Sequence[MessageAttachment] = ()


def check_files(files: Sequence[UploadedFile]) -> None:
    """At most a few files, each a PDF, an image or an office document by its bytes, within the size limit."""
    if len(files) > MAX_FILES:
        raise ValidationError(_("Joignez au plus %(count)d fichiers.") % {"count": MAX_FILES})
    limit = settings.MESSAGE_ATTACHMENT_MAX_BYTES
    for file in files:
        if not file.size:
            raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": file.name})
        if file.size > limit:
            raise ValidationError(
                _("Le fichier « %(name)s » dépasse la taille maximale de %(limit)s.")
                % {"name": file.name, "limit": filesizeformat(limit)}
            )
        if read_kind(file, file.name or "", TEACHING_KINDS) is None:
            raise ValidationError(
                _("« %(name)s » : joignez un PDF, une image PNG ou JPEG, ou un document bureautique.")
                % {"name": file.name}
            )


def _check_sender(school: School, sender: User, policy: Policy, count: int) -> None:
    """The suspension switch, then the recipient cap; each refusal logged."""
    profiles = profiles_in(sender, school)
    if policy.is_suspended(profiles):
        log(school=school, kind=ModerationEvent.Kind.SUSPENDED, actor=sender)
        raise SendingRefused(_("L'envoi de messages est suspendu pour votre profil dans l'établissement."))
    limits = policy.limits_for(profiles)
    if count > limits.max_recipients:
        log(
            school=school,
            kind=ModerationEvent.Kind.RECIPIENT_CAP,
            actor=sender,
            detail=f"{count} > {limits.max_recipients}",
        )
        raise SendingRefused(
            _("Un message peut avoir au plus %(limit)d destinataires ; vous en avez choisi %(count)d.")
            % {"limit": limits.max_recipients, "count": count}
        )


def _over_rate(school: School, sender: User, limits: Limits) -> bool:
    """Whether the sender already sent their allowance this minute. Counted in the database, not the cache:
    exact across every web process, and the sender's membership rows are locked first, so two sendings
    at once are counted one after the other."""
    list(Membership.objects.select_for_update().filter(school=school, user=sender).values_list("pk", flat=True))
    since = timezone.now() - RATE_WINDOW
    recent = Message.objects.filter(school=school, author=sender, created_at__gte=since)
    return recent.values("batch").distinct().count() >= limits.max_per_minute


def _refuse_rate(school: School, sender: User, limits: Limits) -> None:
    log(school=school, kind=ModerationEvent.Kind.RATE_LIMIT, actor=sender, detail=f"{limits.max_per_minute}/min")
    raise SendingRefused(
        _("Vous avez envoyé %(limit)d messages dans la dernière minute : patientez un peu avant d'écrire à nouveau.")
        % {"limit": limits.max_per_minute}
    )


def send_message(
    *,
    school: School,
    sender: User,
    recipients: list[str],
    subject: str,
    body: str,
    files: Files = Files(),
    draft: Draft | None = None,
) -> list[Conversation]:
    """Start a conversation (or one per recipient) with the chosen people and groups.

    People of the school's team written to together share one conversation; as soon as a group is
    used or a student or parent is among several recipients, each recipient gets a separate copy,
    so nobody sees another family's name.
    """
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("Donnez un objet et un message."))
    if not recipients:
        raise ValidationError(_("Choisissez au moins un destinataire."))
    policy = load_policy(school)
    resolved = resolve(sender, school, policy, recipients)
    if not resolved.users:
        raise ValidationError(_("Aucune des personnes choisies ne peut recevoir votre message."))
    _check_sender(school, sender, policy, len(resolved.users))
    check_files(files.uploads)
    limits = policy.limits_for(profiles_in(sender, school))
    with transaction.atomic():
        if _over_rate(school, sender, limits):
            over = True
        else:
            over = False
            separate = resolved.used_group or (len(resolved.users) > 1 and _has_family(school, resolved.users))
            groups = [[user] for user in resolved.users] if separate else [resolved.users]
            conversations = _create(school, sender, groups, subject, body, files)
            if draft is not None:
                draft.delete()
    if over:
        _refuse_rate(school, sender, limits)
    return conversations


def _has_family(school: School, users: list[User]) -> bool:
    return Membership.objects.filter(school=school, user__in=users, profile__in=FAMILY_SIDE).exists()


def _create(
    school: School, sender: User, groups: list[list[User]], subject: str, body: str, files: Files
) -> list[Conversation]:
    now = timezone.now()
    batch = uuid.uuid4()
    conversations = Conversation.objects.bulk_create(
        Conversation(school=school, subject=subject[:200], created_by=sender, last_message_at=now) for _ in groups
    )
    Participant.objects.bulk_create(
        [Participant(school=school, conversation=c, user=sender, sent=True, last_read_at=now) for c in conversations]
        + [
            Participant(school=school, conversation=c, user=user, received=True, unread=1)
            for c, people in zip(conversations, groups, strict=True)
            for user in people
        ]
    )
    messages = Message.objects.bulk_create(
        Message(school=school, conversation=c, author=sender, body=body, batch=batch, created_at=now)
        for c in conversations
    )
    _attach(school, messages, files)
    title = Text(
        gettext_noop("Nouveau message de %(name)s : %(subject)s"), name=sender.get_full_name(), subject=subject
    )
    notices = [
        Notice(recipient=user, title=title, url=_url(school, c))
        for c, people in zip(conversations, groups, strict=True)
        for user in people
    ]
    notify_each(school=school, kind=NEW_MESSAGE, notices=notices)
    return conversations


def _url(school: School, conversation: Conversation) -> str:
    return reverse("messaging:conversation", kwargs={"uai": school.uai, "conversation_id": conversation.pk})


def _attach(school: School, messages: list[Message], files: Files) -> None:
    """Each upload is stored once; every copy's attachment row (and a draft's files) points at the stored file."""
    rows = [
        MessageAttachment(school=school, message=m, name=item.name, file=item.file.name, size=item.size)
        for item in files.stored
        for m in messages
    ]
    for upload in files.uploads:
        name = (upload.name or "document")[:200]
        first = MessageAttachment(school=school, message=messages[0], name=name, size=upload.size or 0)
        first.file.save(name, upload, save=False)
        first.save()
        rows += [
            MessageAttachment(school=school, message=m, name=name, file=first.file.name, size=first.size)
            for m in messages[1:]
        ]
    MessageAttachment.objects.bulk_create(rows)


def reply(*, school: School, sender: User, participant: Participant, body: str, files: Files = Files()) -> Message:
    """A reply to every other participant of the conversation; the switch and the limits apply."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Écrivez votre réponse."))
    conversation = participant.conversation
    policy = load_policy(school)
    others = Participant.objects.filter(school=school, conversation=conversation).exclude(user=sender)
    _check_sender(school, sender, policy, others.count())
    check_files(files.uploads)
    limits = policy.limits_for(profiles_in(sender, school))
    with transaction.atomic():
        over = _over_rate(school, sender, limits)
        if not over:
            now = timezone.now()
            message = Message.objects.create(school=school, conversation=conversation, author=sender, body=body)
            _attach(school, [message], files)
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
            others.update(received=True, trashed=False, unread=F("unread") + 1)
            Participant.objects.filter(pk=participant.pk).update(sent=True, last_read_at=now, unread=0)
            recipients = User.objects.filter(pk__in=others.values("user"))
            title = Text(
                gettext_noop("Réponse de %(name)s : %(subject)s"),
                name=sender.get_full_name(),
                subject=conversation.subject,
            )
            notify(school=school, recipients=recipients, kind=NEW_MESSAGE, title=title, url=_url(school, conversation))
    if over:
        _refuse_rate(school, sender, limits)
    return message


def mark_read(*, participant: Participant) -> None:
    if participant.unread:
        Participant.objects.filter(pk=participant.pk).update(unread=0, last_read_at=timezone.now())
        participant.unread = 0


def set_trashed(*, participant: Participant, trashed: bool) -> None:
    Participant.objects.filter(pk=participant.pk).update(trashed=trashed)


def save_draft(
    *,
    school: School,
    author: User,
    subject: str,
    body: str,
    recipients: list[str],
    uploads: Sequence[UploadedFile] = (),
    draft: Draft | None = None,
) -> Draft:
    check_files(uploads)
    with transaction.atomic():
        if draft is None:
            draft = Draft(school=school, author=author)
        elif draft.attachments.count() + len(uploads) > MAX_FILES:
            raise ValidationError(_("Joignez au plus %(count)d fichiers.") % {"count": MAX_FILES})
        draft.subject, draft.body, draft.recipients = subject.strip()[:200], body.strip(), recipients[:200]
        draft.save()
        for upload in uploads:
            attachment = MessageAttachment(
                school=school, draft=draft, name=(upload.name or "document")[:200], size=upload.size or 0
            )
            attachment.file.save(upload.name or "document", upload, save=False)
            attachment.save()
    return draft


def delete_draft(*, draft: Draft) -> None:
    draft.delete()
