"""Attendance: reasons, the roll call of each lesson, absences as periods, lateness."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.tenancy import TenantModel
from vie_scolaire.models.timetable import Lesson


class AbsenceReason(TenantModel):
    """A reason (motif) with its rules stored as data, per school."""

    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("libellé"), max_length=200)
    justifies = models.BooleanField(_("justifie l'absence"), default=True)
    counts_on_report = models.BooleanField(_("compte au bulletin"), default=True)
    visible_to_parents = models.BooleanField(_("visible des parents"), default=True)
    parents_may_choose = models.BooleanField(_("au choix des parents"), default=False)

    class Meta(TenantModel.Meta):
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_absence_reason")]
        verbose_name = _("motif d'absence")
        verbose_name_plural = _("motifs d'absence")

    def __str__(self) -> str:
        return self.label


class RollCall(TenantModel):
    """The roll call of one lesson: who took it and when."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="roll_call")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("appel")
        verbose_name_plural = _("appels")


class Absence(TenantModel):
    """A student's absence from one moment to another; it covers the lessons inside it."""

    class Source(models.TextChoices):
        ROLL_CALL = "roll_call", _("Appel")
        OFFICE = "office", _("Vie scolaire")
        PARENT = "parent", _("Responsable légal")

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    starts_at = models.DateTimeField(_("du"))
    ends_at = models.DateTimeField(_("au"))
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    # The lesson whose roll call recorded it (none for the office's or a parent's).
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="absences")
    reason = models.ForeignKey(AbsenceReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="absence_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["lesson", "student"], condition=models.Q(lesson__isnull=False), name="unique_roll_call_absence"
            ),
        ]
        indexes = [models.Index(fields=["school", "student", "starts_at"], name="absence_student_idx")]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")


class Lateness(TenantModel):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="latenesses")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="latenesses")
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    reason = models.ForeignKey(AbsenceReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["lesson", "student"], name="unique_lateness")]
        indexes = [models.Index(fields=["school", "student"], name="lateness_student_idx")]
        verbose_name = _("retard")
        verbose_name_plural = _("retards")
