"""A person's notification preferences, and the digests sent to them.

Preferences belong to the person, not to a school (a parent with children in two schools sets them
once), so they are not tenant tables, like personal tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
