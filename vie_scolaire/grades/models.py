"""Assessments, grades and their codes, subject coefficients.

Averages are not stored: `vie_scolaire.grades.averages` computes them, with their explanation, from
these rows each time (exact decimal arithmetic).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Subject, TeachingAssignment
from schools.tenancy import TenantModel
from vie_scolaire.calendar.models import Period


class GradeCode(TenantModel):
    """A code a teacher types instead of a number (Abs, Disp, NN...), with its meaning, per school."""

    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("signification"), max_length=100)
    # Counts as a 0 in averages (Abs0, NRdu0); the others are left out of them.
    counts_as_zero = models.BooleanField(_("compte comme 0"), default=False)

    class Meta(TenantModel.Meta):
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_grade_code")]
        verbose_name = _("code de note")
        verbose_name_plural = _("codes de note")

    def __str__(self) -> str:
        return self.code


class Assessment(TenantModel):
    """A graded piece of work of one teaching assignment in one period."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("Devoir surveillé")
        HOMEWORK = "homework", _("Devoir maison")
        ORAL = "oral", _("Oral")
        QUIZ = "quiz", _("Interrogation")
        PRACTICAL = "practical", _("Travaux pratiques")
        OTHER = "other", _("Autre")

    assignment = models.ForeignKey(
        TeachingAssignment, verbose_name=_("service"), on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.ForeignKey(Period, verbose_name=_("période"), on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(_("titre"), max_length=150)
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.WRITTEN)
    scale = models.PositiveSmallIntegerField(
        _("barème"), default=20, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(99))],
        help_text=_("0 : la note n'entre pas dans la moyenne."),
    )
    convert_to_20 = models.BooleanField(_("ramener sur 20"), default=False)
    bonus = models.BooleanField(
        _("bonus"), default=False, help_text=_("Seuls les points au-dessus de la moitié du barème comptent.")
    )
    optional = models.BooleanField(
        _("facultatif"), default=False, help_text=_("Compte seulement s'il améliore la moyenne.")
    )
    # Families see the assessment from these dates on (students may see it before parents).
    published_to_students_on = models.DateField(_("visible des élèves le"), null=True, blank=True)
    published_to_parents_on = models.DateField(_("visible des parents le"), null=True, blank=True)
    # When the graded students, then their parents, were told of the published grades (once each).
    students_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    parents_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scale__gte=1, scale__lte=99), name="assessment_scale_1_99"),
            models.CheckConstraint(
                condition=models.Q(coefficient__gte=0, coefficient__lte=99), name="assessment_coefficient_0_99"
            ),
        ]
        indexes = [models.Index(fields=["school", "period", "assignment"], name="assessment_period_idx")]
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")

    def __str__(self) -> str:
        return self.title


class Grade(TenantModel):
    """One student's result in one assessment: a number within the scale, or a code."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades")
    value = models.DecimalField(_("note"), max_digits=4, decimal_places=2, null=True, blank=True)
    code = models.ForeignKey(GradeCode, verbose_name=_("code"), null=True, blank=True, on_delete=models.PROTECT)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    # Grows with each change: a teacher saving over a value they never saw is shown both.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The version the student, then the parents, were last told of (0: never): a grade entered or changed
    # after publication is told once per change, whoever reruns the telling.
    students_told_version = models.PositiveIntegerField(default=0, editable=False)
    parents_told_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "assessment", "student"], name="unique_grade"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(code__isnull=True), name="grade_value_or_code"
            ),
        ]
        indexes = [models.Index(fields=["school", "student"], name="grade_student_idx")]
        verbose_name = _("note")
        verbose_name_plural = _("notes")


class SubjectCoefficient(TenantModel):
    """The weight of a subject in a division's general average (1 when absent)."""

    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="subject_coefficients")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(99))],
    )

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "division", "subject"], name="unique_subject_coefficient"),
        ]
        verbose_name = _("coefficient de matière")
        verbose_name_plural = _("coefficients de matière")


class SocleComponent(models.TextChoices):
    """The socle's eight components, with the LSU's codes (nomenclature "domaines du socle")."""

    FRENCH = "CPD_FRA", _("Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit")
    LANGUAGES = "CPD_ETR", _("Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, régionale")
    SCIENCES = (
        "CPD_SCI",
        _("Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques"),
    )
    ARTS = "CPD_ART", _("Comprendre, s'exprimer en utilisant les langages des arts et du corps")
    METHODS = "MET_APP", _("Les méthodes et outils pour apprendre")
    CITIZEN = "FRM_CIT", _("La formation de la personne et du citoyen")
    SYSTEMS = "SYS_NAT", _("Les systèmes naturels et les systèmes techniques")
    WORLD = "REP_MND", _("Les représentations du monde et l'activité humaine")


class SkillLevel(models.IntegerChoices):
    INSUFFICIENT = 1, _("Maîtrise insuffisante")
    FRAGILE = 2, _("Maîtrise fragile")
    SATISFACTORY = 3, _("Maîtrise satisfaisante")
    VERY_GOOD = 4, _("Très bonne maîtrise")


class SkillEvaluation(TenantModel):
    """A teacher's evaluation of one component for one student, with an assessment or on its own."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_evaluations")
    component = models.CharField(_("composante"), max_length=7, choices=SocleComponent.choices)
    level = models.PositiveSmallIntegerField(_("niveau"), choices=SkillLevel.choices)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="skill_evaluations"
    )
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField(_("date"), default=timezone.localdate)

    class Meta(TenantModel.Meta):
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "assessment", "student", "component"],
                condition=models.Q(assessment__isnull=False),
                name="unique_skill_per_assessment",
            ),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="skill_level_1_4"),
        ]
        indexes = [models.Index(fields=["school", "student"], name="skill_student_idx")]
        verbose_name = _("évaluation de compétence")
        verbose_name_plural = _("évaluations de compétences")


class CyclePositioning(TenantModel):
    """The end-of-cycle level of one component for one student (0: exempt, 1 to 4)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    component = models.CharField(_("composante"), max_length=7, choices=SocleComponent.choices)
    level = models.PositiveSmallIntegerField(_("positionnement"), validators=[MaxValueValidator(4)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "school_year", "component"], name="unique_cycle_positioning"
            ),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="positioning_0_4"),
        ]
        verbose_name = _("positionnement de fin de cycle")
        verbose_name_plural = _("positionnements de fin de cycle")
