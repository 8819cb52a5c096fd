"""Notifications: what the ENT tells one person (a change of timetable, later a message), and that
person's notification preferences and the digests sent to them.

Every notification is a record; some kinds (an absence) also go out by e-mail and text message,
through `communication.tasks.deliver_notifications`, as the recipient's preferences allow.

Preferences belong to the person, not to a school (a parent with children in two schools sets them
once), so they are not tenant tables, like personal tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communication.notifications.texts import Text, render, stored
from schools.tenancy import TenantModel


class Notification(TenantModel):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # What happened, as a code the sending module owns ("timetable.cancelled", ...).
    kind = models.CharField(_("type"), max_length=50)
    # The French rendering, for searches and for the rows written before `message` existed.
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)
    # What is shown, in each reader's language: a gettext message id and its arguments
    # (`communication.notifications.texts.Text`). Empty: the title (or body) is shown as it was
    # written, an old row's French or words a person typed.
    message = models.CharField(_("message"), max_length=255, blank=True, default="")
    arguments = models.JSONField(_("arguments du message"), blank=True, default=dict)
    body_message = models.CharField(_("message du texte"), max_length=255, blank=True, default="")
    body_arguments = models.JSONField(_("arguments du texte"), blank=True, default=dict)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    # Set when the message is handed to the gateway, so a task run twice never sends it twice.
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)
    texted_at = models.DateTimeField(_("envoyée par SMS le"), null=True, blank=True)
    # The channels still to send it on ("email,sms"): each leaves the list in the transaction that
    # stamps it, so a row is its own delivery record and the sweep finds what quiet hours held back
    # (or a lost task left) with a small partial index.
    outbox = models.CharField(max_length=20, blank=True, default="", editable=False)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["school", "recipient", "read_at"], name="notification_recipient_idx"),
            models.Index(
                fields=["school", "created_at"], name="notification_outbox_idx", condition=~models.Q(outbox="")
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    def title_text(self) -> Text | str:
        return stored(self.message, self.arguments, self.title)

    def body_text(self) -> Text | str:
        return stored(self.body_message, self.body_arguments, self.body)

    def display_title(self, language: str | None = None) -> str:
        """The title in `language` (the active one when None: templates call it without arguments)."""
        return render(self.title_text(), language)

    def display_body(self, language: str | None = None) -> str:
        return render(self.body_text(), language)


class Category(models.TextChoices):
    """What a notification is about, read from the prefix of its `kind`."""

    MESSAGE = "message", _("Messages")
    GRADE = "grade", _("Notes")
    ABSENCE = "absence", _("Absences et retards")
    HOMEWORK = "homework", _("Travail à faire")
    TIMETABLE = "timetable", _("Emploi du temps")
    ANNOUNCEMENT = "announcement", _("Actualités")


class Channel(models.TextChoices):
    APP = "app", _("Dans l'ENT")
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class Digest(models.TextChoices):
    NONE = "none", _("Aucun")
    DAILY = "daily", _("Quotidien")
    WEEKLY = "weekly", _("Hebdomadaire")


class NotificationPreferences(models.Model):
    """One row per person who changed anything; without it the sending module's defaults apply."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    # {category: [channel, ...]}; a category absent from the map keeps the sending module's choice.
    channels = models.JSONField(_("canaux"), default=dict, blank=True)
    quiet_start = models.TimeField(_("pas de courriel ni de SMS de"), null=True, blank=True)
    quiet_end = models.TimeField(_("à"), null=True, blank=True)
    digest = models.CharField(_("résumé par courriel"), max_length=10, choices=Digest.choices, default=Digest.NONE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["digest", "user"], name="prefs_digest_idx")]
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return str(self.user)


class DigestSent(models.Model):
    """One digest e-mail of one period to one person: the row is the idempotency key of the sending.

    It is inserted in the same transaction as the e-mail is handed to the backend, so a digest run
    twice (beat firing again, a retried task) finds it and sends nothing more.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "daily:2026-11-28" or "weekly:2026-W48".
    period = models.CharField(max_length=20)
    sent_at = models.DateTimeField()
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="unique_digest_per_period")]
        indexes = [models.Index(fields=["user", "-sent_at"], name="digest_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period}"
