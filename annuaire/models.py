"""People and how they belong to schools.

One `User` per person, whatever the number of schools; a `Membership` per school and
profile. Everything below the user is owned by one school (`TenantModel`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.tenancy import TenantModel


class Profile(models.TextChoices):
    STUDENT = "student", _("Élève")
    PARENT = "parent", _("Responsable légal")
    TEACHER = "teacher", _("Enseignant")
    STAFF = "staff", _("Personnel")
    DIRECTION = "direction", _("Direction")


class User(AbstractUser):
    """A person. The login name (`username`) is the identifier printed on activation letters."""

    external_id = models.CharField(_("identifiant AAF"), max_length=64, blank=True, db_index=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The city profile: every establishment's oversight, never a pupil's personal data.
    is_city_admin = models.BooleanField(_("administrateur de la Ville"), default=False)
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur")  # type: ignore[assignment]
        verbose_name_plural = _("utilisateurs")  # type: ignore[assignment]
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()


class Mef(models.Model):
    """A national level of study (Module Élémentaire de Formation), e.g. 10010012110 = 6e."""

    code = models.CharField(_("code MEF"), max_length=11, unique=True)
    label = models.CharField(_("libellé"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("MEF (niveau)")
        verbose_name_plural = _("MEF (niveaux)")

    def __str__(self) -> str:
        return self.label


class Division(TenantModel):
    """A class (division) of one school year."""

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=100)
    mef = models.ForeignKey(Mef, verbose_name=_("niveau"), null=True, blank=True, on_delete=models.SET_NULL)
    school_year = models.PositiveSmallIntegerField(_("année scolaire"), help_text=_("Année de la rentrée."))
    external_id = models.CharField(max_length=64, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "code"], name="unique_division_code"),
        ]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class TeachingGroup(TenantModel):
    """A group of students across or inside divisions (options, languages, half-classes)."""

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=100)
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    divisions = models.ManyToManyField(Division, through="GroupDivision", related_name="groups", blank=True)
    external_id = models.CharField(max_length=64, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "code"], name="unique_group_code"),
        ]
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")

    def __str__(self) -> str:
        return self.name


class GroupDivision(TenantModel):
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE)
    division = models.ForeignKey(Division, on_delete=models.CASCADE)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["group", "division"], name="unique_group_division")]


class Subject(TenantModel):
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("libellé"), max_length=150)
    short_name = models.CharField(_("libellé court"), max_length=30, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_subject_code")]
        verbose_name = _("matière")
        verbose_name_plural = _("matières")

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A person's place in one school under one profile."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    # Staff functions from the directory (CPE, documentaliste, secrétariat...), as labels.
    functions = models.JSONField(_("fonctions"), default=list, blank=True)
    active = models.BooleanField(_("actif"), default=True)
    division = models.ForeignKey(
        Division, verbose_name=_("division"), null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    groups = models.ManyToManyField(TeachingGroup, through="GroupMembership", related_name="students", blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user", "profile"], name="unique_membership"),
        ]
        indexes = [models.Index(fields=["school", "profile", "active"], name="membership_profile_idx")]
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_profile_display()}"


class GroupMembership(TenantModel):
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["group", "membership"], name="unique_group_membership")]


class TeachingAssignment(TenantModel):
    """A teaching service: a teacher teaches a subject to a division or a group."""

    teacher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="teaching_assignments")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="assignments")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    is_head_teacher = models.BooleanField(_("professeur principal"), default=False)

    class Meta(TenantModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(division__isnull=False) ^ models.Q(group__isnull=False),
                name="assignment_division_xor_group",
            ),
        ]
        indexes = [models.Index(fields=["school", "teacher"], name="assignment_teacher_idx")]
        verbose_name = _("service d'enseignement")
        verbose_name_plural = _("services d'enseignement")

    def __str__(self) -> str:
        return f"{self.teacher} — {self.subject} — {self.division or self.group}"


class Guardianship(TenantModel):
    """A legal representative (or contact) of a student; the school is the student's."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardians_links")
    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    legal_representative = models.BooleanField(_("représentant légal"), default=True)
    financial = models.BooleanField(_("responsable financier"), default=False)
    contact = models.BooleanField(_("contact"), default=True)
    relationship = models.CharField(_("lien"), max_length=50, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "student", "guardian"], name="unique_guardianship"),
        ]
        indexes = [models.Index(fields=["school", "guardian"], name="guardianship_guardian_idx")]
        verbose_name = _("responsabilité légale")
        verbose_name_plural = _("responsabilités légales")


class ActivationCode(models.Model):
    """A one-time code printed on an activation letter; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"], name="activation_user_idx")]

    def __str__(self) -> str:
        return f"activation code of {self.user_id} ({self.created_at:%Y-%m-%d})"


class CharterAcceptance(TenantModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="charter_acceptances")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="unique_charter_acceptance")]


class PersonalToken(models.Model):
    """A personal API token (for a phone app), created and revoked by its owner."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'accès personnel")
        verbose_name_plural = _("jetons d'accès personnels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
