"""Notifications: what the ENT tells one person (a change of timetable, later a message).

Every notification is a record; some kinds (an absence) also go out by e-mail and text message,
through `communication.tasks.deliver_notifications`, as the recipient's preferences allow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.tenancy import TenantModel


class Notification(TenantModel):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # What happened, as a code the sending module owns ("timetable.cancelled", ...).
    kind = models.CharField(_("type"), max_length=50)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)
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
