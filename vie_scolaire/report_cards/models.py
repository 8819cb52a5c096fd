"""Report cards (bulletins): teachers' subject comments, the class council's word, the PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, TeachingAssignment
from schools.tenancy import TenantModel
from vie_scolaire.calendar.models import Period


class SubjectComment(TenantModel):
    """A teacher's comment (appréciation) on one student in one subject for a period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("appréciation"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["school", "period", "assignment", "student"], name="unique_subject_comment"
            ),
        ]
        verbose_name = _("appréciation de matière")
        verbose_name_plural = _("appréciations de matière")


class CouncilDecision(models.TextChoices):
    NONE = "", _("Aucune")
    CONGRATULATIONS = "felicitations", _("Félicitations")
    COMPLIMENTS = "compliments", _("Compliments")
    ENCOURAGEMENTS = "encouragements", _("Encouragements")
    WORK_WARNING = "avertissement_travail", _("Avertissement travail")
    CONDUCT_WARNING = "avertissement_conduite", _("Avertissement conduite")


class ReportCard(TenantModel):
    """One student's report card for a period: the head teacher's comment, the council's decision, the PDF."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="report_cards")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_cards")
    division = models.ForeignKey(Division, null=True, on_delete=models.SET_NULL, related_name="+")
    general_comment = models.TextField(_("appréciation générale"), max_length=1000, blank=True)
    council_decision = models.CharField(
        _("décision du conseil de classe"), max_length=30, choices=CouncilDecision.choices, blank=True
    )
    # Filled in by the attendance module; empty until it exists.
    half_days_absent = models.PositiveSmallIntegerField(_("demi-journées d'absence"), null=True, blank=True)
    half_days_unjustified = models.PositiveSmallIntegerField(_("dont non justifiées"), null=True, blank=True)
    lateness = models.PositiveSmallIntegerField(_("retards"), null=True, blank=True)
    # Kept per school year: families download last years' report cards too.
    pdf = models.FileField(upload_to="bulletins/%Y/", blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "period", "student"], name="unique_report_card")]
        indexes = [models.Index(fields=["school", "student"], name="report_card_student_idx")]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")


class ReportCardRun(TenantModel):
    """A division's report cards being generated in the background, with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveSmallIntegerField(default=0)
    done = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "division", "period"], name="report_card_run_idx")]
        verbose_name = _("édition de bulletins")
        verbose_name_plural = _("éditions de bulletins")
