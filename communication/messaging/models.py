"""Messaging: conversations, their messages and attachments, each participant's mailbox state, drafts,
and the school's rules (policy, sending limits, the suspension switch) with the moderation log.

A conversation belongs to one school. A message sent to a group goes out as one conversation per
recipient (a copy), so no copy carries the other recipients' names.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from annuaire.models import Profile
from schools.documents import stored_name
from schools.tenancy import TenantModel


class Conversation(TenantModel):
    subject = models.CharField(_("objet"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last message's time, kept here so a mailbox sorts without reading the messages.
    last_message_at = models.DateTimeField(_("dernier message"))

    class Meta(TenantModel.Meta):
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.subject


class Participant(TenantModel):
    """One person's mailbox state of a conversation: which folders show it, and how many messages are unread."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # In the inbox once a message was received in it, in the sent folder once one was sent in it.
    received = models.BooleanField(default=False)
    sent = models.BooleanField(default=False)
    trashed = models.BooleanField(_("dans la corbeille"), default=False)
    # Counted on arrival, reset when opened: the mailbox shows unread counts without counting messages.
    unread = models.PositiveIntegerField(_("non lus"), default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "conversation", "user"], name="unique_participant")]
        indexes = [models.Index(fields=["school", "user", "trashed"], name="participant_mailbox_idx")]


class Message(TenantModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"), max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every copy of one sending shares it: the rate limit counts sendings, not copies.
    batch = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta(TenantModel.Meta):
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["school", "conversation", "created_at"], name="message_conversation_idx"),
            models.Index(fields=["school", "author", "created_at"], name="message_author_idx"),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:50]


class Draft(TenantModel):
    """A message being written: its recipients as the compose form's choices (`user:12`, `division_parents:3`)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("message"), max_length=10_000, blank=True)
    recipients = models.JSONField(_("destinataires"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["school", "author"], name="draft_author_idx")]
        verbose_name = _("brouillon")
        verbose_name_plural = _("brouillons")

    def __str__(self) -> str:
        return self.subject


def attachment_path(attachment: MessageAttachment, filename: str) -> str:
    """A random name under the school's folder: files are served by a view that checks the participant."""
    return stored_name("messagerie", attachment.school_id, filename)


class MessageAttachment(TenantModel):
    """A file of a sent message or of a draft; the copies of a group sending share the stored file."""

    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("nom"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=attachment_path)
    size = models.PositiveIntegerField(_("taille"))

    class Meta(TenantModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(message__isnull=False, draft__isnull=True)
                | models.Q(message__isnull=True, draft__isnull=False),
                name="message_attachment_of_one_thing",
            ),
        ]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.name


class Reach(models.TextChoices):
    """How far one profile may write to another (a cell of the policy matrix)."""

    NOBODY = "nobody", pgettext_lazy("nobody may write", "Personne")
    DIVISION = "division", _("Dans la division")
    SCHOOL = "school", _("Dans l'établissement")


class PolicyRule(TenantModel):
    """A cell of the school's policy matrix that differs from the safe default (`communication.messaging.policy`)."""

    sender_profile = models.CharField(_("profil de l'expéditeur"), max_length=20, choices=Profile.choices)
    recipient_profile = models.CharField(_("profil du destinataire"), max_length=20, choices=Profile.choices)
    reach = models.CharField(_("portée"), max_length=10, choices=Reach.choices)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "sender_profile", "recipient_profile"], name="unique_policy_rule")
        ]


class SendingLimit(TenantModel):
    """A profile's sending limits in the school, when they differ from the defaults."""

    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    max_recipients = models.PositiveIntegerField(_("destinataires par message au plus"))
    max_per_minute = models.PositiveIntegerField(_("envois par minute au plus"))

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "profile"], name="unique_sending_limit")]


class MessagingSettings(TenantModel):
    """The school's switches: suspend sending for students and/or parents; parents reading a young child's mail."""

    students_suspended = models.BooleanField(_("envoi suspendu pour les élèves"), default=False)
    parents_suspended = models.BooleanField(_("envoi suspendu pour les parents"), default=False)
    parents_read_young_children = models.BooleanField(
        _("les parents lisent les messages de leurs enfants de moins de 15 ans"), default=False
    )

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_messaging_settings")]


class MessageReport(TenantModel):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("motif"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")


class ModerationEvent(TenantModel):
    """The moderation log: every limit hit, switch or rule change and report, as one row."""

    class Kind(models.TextChoices):
        RECIPIENT_CAP = "recipient_cap", _("Trop de destinataires")
        RATE_LIMIT = "rate_limit", _("Trop d'envois en une minute")
        SUSPENDED = "suspended", _("Envoi refusé : messagerie suspendue")
        SWITCH = "switch", _("Suspension modifiée")
        POLICY = "policy", _("Règles modifiées")
        REPORT = "report", _("Message signalé")

    kind = models.CharField(_("événement"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(_("détail"), max_length=500, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_at"], name="moderation_event_idx")]
        verbose_name = _("événement de modération")
        verbose_name_plural = _("journal de modération")
