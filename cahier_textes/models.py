"""The homework book (cahier de textes): what was done in each lesson, the work to do, the head's visa.

Entries and homework hang on the timetable's dated lessons; their audience (divisions, groups) is the
lesson's. Rich text is stored already sanitised (`cahier_textes.richtext`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division
from schools.documents import stored_name
from schools.tenancy import TenantModel
from vie_scolaire.models import Lesson

MAX_HOMEWORK_MINUTES = 600


class LessonEntry(TenantModel):
    """What was done in one lesson (contenu de séance), written ahead and completed after."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="entry")
    content = models.TextField(_("contenu de la séance"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the entry changed after a visa covered it: the earlier texts are its revisions.
    changed_after_visa_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("contenu de séance")
        verbose_name_plural = _("contenus de séance")


class Homework(TenantModel):
    """Work given in a lesson, due for a later lesson of the same audience or on a date."""

    class Kind(models.TextChoices):
        TO_DO = "to_do", _("Travail à faire")
        LEARN = "learn", _("Leçon à apprendre")
        ASSESSMENT = "assessment", _("Évaluation annoncée")

    given_in = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="homework_given")
    # The lesson it is due for; kept as a date when that lesson disappears from the timetable.
    due_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="homework_due"
    )
    due_on = models.DateField(_("pour le"))
    description = models.TextField(_("consigne"))
    minutes = models.PositiveSmallIntegerField(
        _("durée estimée (minutes)"), null=True, blank=True, validators=[MaxValueValidator(MAX_HOMEWORK_MINUTES)]
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TO_DO)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    changed_after_visa_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["school", "due_on"], name="homework_due_idx")]
        verbose_name = _("travail à faire")
        verbose_name_plural = _("travaux à faire")


class Revision(TenantModel):
    """The text an entry or a homework had before a change made after a visa covered it."""

    entry = models.ForeignKey(LessonEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    homework = models.ForeignKey(Homework, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, homework__isnull=True)
                | models.Q(entry__isnull=True, homework__isnull=False),
                name="revision_of_one_thing",
            )
        ]


class HomeworkDone(TenantModel):
    """A student's own tick: this homework is done."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="done_by")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "homework", "student"], name="unique_homework_done")]


def attachment_path(attachment: Attachment, filename: str) -> str:
    """A random name under the school's folder: files are served by a view that checks access."""
    return stored_name("cahier_textes", attachment.school_id, filename)


class Attachment(TenantModel):
    """A file or a link attached to an entry or a homework."""

    entry = models.ForeignKey(LessonEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    homework = models.ForeignKey(Homework, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("nom"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=attachment_path, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, homework__isnull=True)
                | models.Q(entry__isnull=True, homework__isnull=False),
                name="attachment_of_one_thing",
            ),
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="attachment_file_or_link",
            ),
        ]


class Visa(TenantModel):
    """The head's countersignature of one teacher's book for one division, up to the day it is signed."""

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    # Lessons up to this day are covered; later edits of their entries are marked and kept.
    covers_until = models.DateField(_("jusqu'au"))
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-signed_at"]
        indexes = [models.Index(fields=["school", "teacher", "division"], name="visa_book_idx")]
        verbose_name = _("visa")
        verbose_name_plural = _("visas")


class WorkloadLimit(TenantModel):
    """The school's thresholds over which a teacher giving homework is warned."""

    minutes_per_day = models.PositiveSmallIntegerField(_("minutes de travail par jour"), default=90)
    assessments_per_week = models.PositiveSmallIntegerField(_("évaluations annoncées par semaine"), default=3)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school"], name="unique_workload_limit")]
        verbose_name = _("seuil de charge de travail")
        verbose_name_plural = _("seuils de charge de travail")
