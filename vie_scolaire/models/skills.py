"""Skills of the socle commun (collège): evaluations by teachers and the end-of-cycle positioning."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.tenancy import TenantModel
from vie_scolaire.models.grades import Assessment


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
                fields=["assessment", "student", "component"],
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
            models.UniqueConstraint(fields=["student", "school_year", "component"], name="unique_cycle_positioning"),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="positioning_0_4"),
        ]
        verbose_name = _("positionnement de fin de cycle")
        verbose_name_plural = _("positionnements de fin de cycle")
