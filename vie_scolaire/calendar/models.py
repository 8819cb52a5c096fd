"""The school year's calendar: its first and last day, holidays, periods (terms) and the week A /
week B alternation. The timetable's lessons are generated from it (vie_scolaire.timetable)."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.tenancy import TenantModel


class SchoolCalendar(TenantModel):
    """One school year of one school: its first and last day of lessons."""

    school_year = models.PositiveSmallIntegerField(_("année scolaire"), help_text=_("Année de la rentrée."))
    first_day = models.DateField(_("premier jour de cours"))
    last_day = models.DateField(_("dernier jour de cours"))
    # Lessons starting at or after this time belong to the afternoon (half-day absences).
    afternoon_starts_at = models.TimeField(_("début de l'après-midi"), default=time(12, 0))

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="unique_school_calendar")]
        verbose_name = _("calendrier scolaire")
        verbose_name_plural = _("calendriers scolaires")

    def __str__(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"


class DaySpan(TenantModel):
    """Named days of one school year, from the first to the last included."""

    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    name = models.CharField(_("nom"), max_length=100)
    first_day = models.DateField(_("premier jour"))
    last_day = models.DateField(_("dernier jour"))

    class Meta(TenantModel.Meta):
        abstract = True
        ordering = ["first_day"]

    def __str__(self) -> str:
        return self.name


class Holiday(DaySpan):
    """Days without lessons: the zone's holidays (entered by the city) or the school's own."""

    # Entered by the city for every school (zone C); the head cannot remove those.
    from_city = models.BooleanField(_("saisi par la Ville"), default=False)

    class Meta(DaySpan.Meta):
        indexes = [models.Index(fields=["school", "school_year"], name="holiday_year_idx")]
        verbose_name = _("vacances ou fermeture")
        verbose_name_plural = _("vacances et fermetures")


class Period(DaySpan):
    """A term (trimestre) or semester of the school year."""

    # After this day teachers no longer enter grades of the period; the head moves it to reopen.
    entry_closes_on = models.DateField(_("fin de la saisie des notes"), null=True, blank=True)

    class Meta(DaySpan.Meta):
        indexes = [models.Index(fields=["school", "school_year"], name="period_year_idx")]
        verbose_name = _("période")
        verbose_name_plural = _("périodes")


class WeekKind(models.TextChoices):
    A = "A", _("Semaine A")
    B = "B", _("Semaine B")


class WeekOverride(TenantModel):
    """One week whose alternation the school changed (a B week made A, for instance)."""

    monday = models.DateField(_("lundi de la semaine"))
    kind = models.CharField(_("semaine"), max_length=1, choices=WeekKind.choices)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "monday"], name="unique_week_override")]
        verbose_name = _("changement d'alternance")
        verbose_name_plural = _("changements d'alternance")
