"""The school year's calendar (with its periods) and the timetable.

A school's year has its calendar (first and last day, holidays, terms, the week A / week B
alternation), a slot grid and rooms. Lessons are stored twice over: the weekly pattern
(`WeeklyLesson`, what an import or a head enters) and its dated occurrences (`Lesson`),
which carry the changes of one day (cancelled, moved, another room, a replacement teacher).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from annuaire.models import Division, Subject, TeachingGroup
from schools.tenancy import TenantModel


class TimeSlot(TenantModel):
    """One slot of the daily grid (M1... S4)."""

    code = models.CharField(_("code"), max_length=10)
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))

    class Meta(TenantModel.Meta):
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_time_slot")]
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")

    def __str__(self) -> str:
        return f"{self.code} {self.start:%H:%M}–{self.end:%H:%M}"


class Room(TenantModel):
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=100, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_room_code")]
        verbose_name = _("salle")
        verbose_name_plural = _("salles")

    def __str__(self) -> str:
        return self.name or self.code


class WeekPattern(models.TextChoices):
    EVERY = "every", _("Toutes les semaines")
    A = "A", _("Semaine A")
    B = "B", _("Semaine B")
    WEEKS = "weeks", _("Semaines choisies")


class WeeklyLesson(TenantModel):
    """A lesson of the weekly pattern: same subject, audience, day and time, on some weeks."""

    class Source(models.TextChoices):
        STS = "sts", _("STS-Web")
        INDEX = "index", _("EDT / PRONOTE (Index Éducation)")
        UDT = "udt", _("UnDeuxTemps")
        MANUAL = "manual", _("Saisie")

    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    subject = models.ForeignKey(Subject, verbose_name=_("matière"), on_delete=models.CASCADE)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="WeeklyLessonTeacher", related_name="weekly_lessons", blank=True
    )
    divisions = models.ManyToManyField(Division, through="WeeklyLessonDivision", related_name="weekly_lessons")
    groups = models.ManyToManyField(TeachingGroup, through="WeeklyLessonGroup", related_name="weekly_lessons")
    room = models.ForeignKey(Room, verbose_name=_("salle"), null=True, blank=True, on_delete=models.SET_NULL)
    weekday = models.PositiveSmallIntegerField(_("jour"), help_text=_("1 = lundi … 7 = dimanche"))
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    week_pattern = models.CharField(_("semaines"), max_length=5, choices=WeekPattern.choices)
    # The Mondays of the weeks it takes place, when `week_pattern` is WEEKS (ISO dates).
    weeks = models.JSONField(_("semaines choisies"), default=list, blank=True)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    # What identifies the lesson in its source, so that a re-import changes nothing.
    source_key = models.CharField(max_length=255)
    # A lesson the timetable dropped is retired, not deleted: its past occurrences carry roll calls
    # and absences (legal records); it has no occurrence from this day on.
    retired_from = models.DateField(_("retiré à partir du"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "source", "source_key"], name="unique_weekly_lesson_source"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="weekly_lesson_start_before_end"
            ),
        ]
        verbose_name = _("cours hebdomadaire")
        verbose_name_plural = _("cours hebdomadaires")

    def __str__(self) -> str:
        return f"{self.subject} ({self.weekday} {self.start:%H:%M})"


class WeeklyLessonTeacher(TenantModel):
    weekly_lesson = models.ForeignKey(WeeklyLesson, on_delete=models.CASCADE)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "weekly_lesson", "teacher"], name="unique_lesson_teacher")
        ]
        indexes = [models.Index(fields=["school", "teacher"], name="lesson_teacher_idx")]


class WeeklyLessonDivision(TenantModel):
    weekly_lesson = models.ForeignKey(WeeklyLesson, on_delete=models.CASCADE)
    division = models.ForeignKey(Division, on_delete=models.CASCADE)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "weekly_lesson", "division"], name="unique_lesson_division")
        ]


class WeeklyLessonGroup(TenantModel):
    weekly_lesson = models.ForeignKey(WeeklyLesson, on_delete=models.CASCADE)
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "weekly_lesson", "group"], name="unique_lesson_group")]


class Lesson(TenantModel):
    """One dated occurrence of a weekly lesson, with the changes of that day.

    `scheduled_date` is the date the pattern gives; `date`, `start`, `end` and `room` are
    where the lesson really takes place. A change keeps the pattern's values readable
    (`moved`, `room_changed`) so that pages can strike them through.
    """

    weekly_lesson = models.ForeignKey(WeeklyLesson, on_delete=models.CASCADE, related_name="occurrences")
    scheduled_date = models.DateField(_("date prévue"))
    date = models.DateField(_("date"))
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    room = models.ForeignKey(
        Room, verbose_name=_("salle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled = models.BooleanField(_("annulé"), default=False)
    replacement_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remplaçant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
    )
    # Set once a person with the right changed this occurrence; a re-import leaves it alone.
    change_reason = models.CharField(_("motif"), max_length=200, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "weekly_lesson", "scheduled_date"], name="unique_lesson_occurrence"
            ),
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="lesson_start_before_end"),
        ]
        indexes = [models.Index(fields=["school", "date"], name="lesson_date_idx")]
        verbose_name = _("séance")
        verbose_name_plural = _("séances")

    def __str__(self) -> str:
        return f"{self.weekly_lesson.subject} {self.date:%d/%m} {self.start:%H:%M}"

    @property
    def is_changed(self) -> bool:
        return self.changed_at is not None

    @property
    def moved(self) -> bool:
        weekly = self.weekly_lesson
        return self.date != self.scheduled_date or (self.start, self.end) != (weekly.start, weekly.end)

    @property
    def room_changed(self) -> bool:
        return self.room_id != self.weekly_lesson.room_id


class CalendarFeed(TenantModel):
    """A secret iCalendar address of one person's timetable (a parent's: one child's)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    # Whose timetable: the owner's own, or one of a parent's children.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "owner"], name="calendar_feed_owner_idx")]
        verbose_name = _("agenda partagé")
        verbose_name_plural = _("agendas partagés")
