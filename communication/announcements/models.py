"""Announcements (actualités): what the direction tells a whole school, some profiles or some divisions.

An announcement is written by the direction or a delegated member of staff, optionally approved by
the head (a per-school setting), shown between its publication and expiry dates to those addressed,
and each reader's first opening is recorded (read state).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Profile
from schools.tenancy import TenantModel


class AnnouncementSettings(TenantModel):
    """A school's choices for its announcements; a school without a row needs no approval."""

    approval_required = models.BooleanField(
        _("validation par la direction"),
        default=False,
        help_text=_(
            "Les actualités écrites par un personnel délégué attendent la validation d'un membre de la direction."
        ),
    )

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_announcement_settings")]
        verbose_name = _("réglages des actualités")
        verbose_name_plural = _("réglages des actualités")


class Announcement(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        PUBLISHED = "published", _("Validée")
        REJECTED = "rejected", _("Refusée")

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="announcements_written"
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # The whole school; otherwise the audience rows (profiles, divisions) say who.
    whole_school = models.BooleanField(_("tout l'établissement"), default=False)
    publish_at = models.DateTimeField(_("publication le"))
    expires_at = models.DateTimeField(_("expiration le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The fan-out's progress: the last recipient (user id, in increasing order) notified. A retried
    # task resumes after it, so nobody is notified twice; `notified_at` closes it.
    fanout_cursor = models.BigIntegerField(default=0, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(TenantModel.Meta):
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["school", "status", "publish_at"], name="announcement_current_idx")]
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def __str__(self) -> str:
        return self.title


class AnnouncementAudience(TenantModel):
    """One part of an announcement's audience: a profile of the school, or a division."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="audience")
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices, blank=True)
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(profile="") & models.Q(division__isnull=False))
                | (~models.Q(profile="") & models.Q(division__isnull=True)),
                name="audience_profile_xor_division",
            ),
        ]
        indexes = [models.Index(fields=["school", "announcement"], name="audience_announcement_idx")]


class AnnouncementRead(TenantModel):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "announcement", "user"], name="unique_announcement_read")
        ]
        indexes = [models.Index(fields=["school", "user"], name="announcement_read_user_idx")]
