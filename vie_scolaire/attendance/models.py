"""Attendance: reasons, the roll call of each lesson, absences as periods, lateness, early departures,
and the families' justifications the office accepts or refuses."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.documents import stored_name
from schools.tenancy import TenantModel
from vie_scolaire.timetable.models import Lesson


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


class AttendanceSettings(TenantModel):
    """The school's own attendance rules; a school without a row follows the defaults below."""

    # A teacher opens the roll call a few minutes before the lesson (the class lines up in the corridor),
    # never hours ahead: a tap on the wrong lesson at night must record nothing.
    roll_call_opens_before = models.PositiveSmallIntegerField(
        _("ouverture de l'appel avant la séance (minutes)"), default=10, validators=[MaxValueValidator(60)]
    )
    # The families' notice of an absence waits this long after the lesson's start, so that a student
    # marked absent then present in the first minutes (a late arrival, a wrong tap) costs no message.
    absence_notice_delay = models.PositiveSmallIntegerField(
        _("délai avant d'avertir les familles d'une absence (minutes après le début)"),
        default=10,
        validators=[MaxValueValidator(120)],
    )
    # The school's rules say whether an adult student may keep their attendance from their parents.
    adult_students_may_withhold = models.BooleanField(
        _("un élève majeur peut refuser que ses parents suivent ses absences"), default=True
    )

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_attendance_settings")]
        verbose_name = _("règles de la vie scolaire")
        verbose_name_plural = _("règles de la vie scolaire")


class AttendanceWithholding(TenantModel):
    """An adult student's choice that their parents no longer follow their attendance.

    A row is the choice; changing one's mind deletes it. It counts only while the student is adult
    and the school's rules (`AttendanceSettings.adult_students_may_withhold`) allow it, so a rule
    changed later, or a wrong birth date corrected, takes effect without touching the rows.
    """

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "student"], name="unique_attendance_withholding")]
        verbose_name = _("suivi des absences retiré aux parents")
        verbose_name_plural = _("suivis des absences retirés aux parents")


class RollCall(TenantModel):
    """The roll call of one lesson: who took it and when."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="roll_call")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("appel")
        verbose_name_plural = _("appels")


def justification_document_path(justification: Justification, filename: str) -> str:
    """A random name under the school's folder: the file is served by a view that checks access, never by name."""
    return stored_name("justifications", justification.school_id, filename)


class Justification(TenantModel):
    """A family's explanation of a student's absences and lateness, which the office accepts or refuses.

    An absence is justified once its own reason is set to a reason that justifies: the office sets
    it directly, or by accepting a justification (whose reason it may correct).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.ForeignKey(AbsenceReason, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("commentaire"), max_length=1000, blank=True)
    document = models.FileField(_("justificatif"), upload_to=justification_document_path, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    office_message = models.TextField(_("message de la vie scolaire"), max_length=1000, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["school", "status"], name="justification_status_idx")]
        verbose_name = _("justification")
        verbose_name_plural = _("justifications")


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
    # The reason the office retained; the absence is justified when this reason justifies.
    reason = models.ForeignKey(AbsenceReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    justification = models.ForeignKey(
        Justification, null=True, blank=True, on_delete=models.SET_NULL, related_name="absences"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the families were told of a roll call's absence: a notice leaves once, after the lesson's
    # first minutes, and a later correction of a told absence tells them it was a mistake.
    notice_sent_at = models.DateTimeField(_("familles averties le"), null=True, blank=True, editable=False)

    class Meta(TenantModel.Meta):
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="absence_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["school", "lesson", "student"],
                condition=models.Q(lesson__isnull=False),
                name="unique_roll_call_absence",
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
    justification = models.ForeignKey(
        Justification, null=True, blank=True, on_delete=models.SET_NULL, related_name="latenesses"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "lesson", "student"], name="unique_lateness")]
        indexes = [models.Index(fields=["school", "student"], name="lateness_student_idx")]
        verbose_name = _("retard")
        verbose_name_plural = _("retards")


class EarlyDeparture(TenantModel):
    """A student who left a lesson before its end (the nurse, a family's request), noted at the roll call."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="early_departures")
    left_at = models.TimeField(_("heure de départ"))
    reason = models.ForeignKey(AbsenceReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "lesson", "student"], name="unique_early_departure")]
        verbose_name = _("départ anticipé")
        verbose_name_plural = _("départs anticipés")
