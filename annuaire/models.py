"""People and how they belong to schools.

One `User` per person, whatever the number of schools; a `Membership` per school and
profile. Everything below the user is owned by one school (`TenantModel`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
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

    # The person's key in the rectorat's directory (ENTPersonJointure), unique within one
    # académie only: the source is kept with it.
    external_source = models.CharField(_("académie d'origine"), max_length=50, blank=True)
    external_id = models.CharField(_("identifiant AAF"), max_length=64, blank=True)
    # What the directory last said, so that a head's own edit of e-mail or phone survives.
    directory_email = models.EmailField(blank=True, editable=False)
    directory_phone = models.CharField(max_length=30, blank=True, editable=False)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The city profile: every establishment's oversight, never a pupil's personal data.
    is_city_admin = models.BooleanField(_("administrateur de la Ville"), default=False)
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True)
    # The language chosen with the switch, for what the ENT sends the person (e-mails, text
    # messages, digests) when no request says it; blank is the site's French.
    language = models.CharField(_("langue"), max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_directory_person",
            ),
        ]
        # Sign-in looks the account up by its identifier whatever its case, then by e-mail (which
        # allauth lowers): without these, each sign-in reads the 160,000 accounts of Paris twice.
        indexes = [
            models.Index(Upper("username"), name="user_username_upper_idx"),
            models.Index(fields=["email"], name="user_email_idx"),
        ]
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
        constraints = [models.UniqueConstraint(fields=["school", "group", "division"], name="unique_group_division")]


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
    # Memberships from the rectorat's directory are the importer's; local accounts a head
    # creates for people outside it are never ended by an import.
    from_directory = models.BooleanField(_("issu de l'annuaire académique"), default=False)
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
        constraints = [
            models.UniqueConstraint(fields=["school", "group", "membership"], name="unique_group_membership")
        ]


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
        return f"{self.teacher} — {self.subject} — {self.audience_name}"

    @property
    def audience_name(self) -> str:
        """The division or the group taught."""
        return str(self.division or self.group)


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


class StudentContact(TenantModel):
    """A relative of a student who is not a legal representative (respLegal 0): no account."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    external_id = models.CharField(max_length=64, blank=True)
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    relationship = models.CharField(_("lien"), max_length=50, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["school", "student", "external_id"], name="unique_student_contact"),
        ]
        verbose_name = _("contact de l'élève")
        verbose_name_plural = _("contacts de l'élève")

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()


class ImportRun(models.Model):
    """One run of the directory importer: what it read, what it did, what went wrong.

    Cross-school by nature (one export feeds many schools); each school's share is an
    `ImportRunSchool`, which heads read.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Appliqué")
        DRY_RUN = "dry_run", _("Simulation")
        REFUSED = "refused", _("Refusé")

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(_("origine"), max_length=30, default="command")
    status = models.CharField(_("résultat"), max_length=10, choices=Status.choices)
    files = models.JSONField(_("fichiers"), default=list)
    counts = models.JSONField(_("décompte"), default=dict)
    warnings = models.JSONField(_("avertissements"), default=list)
    errors = models.JSONField(_("erreurs"), default=list)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import de l'annuaire")
        verbose_name_plural = _("imports de l'annuaire")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ImportRunSchool(TenantModel):
    """One school's share of an import run."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="schools")
    counts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "run"], name="unique_import_run_school")]

    def __str__(self) -> str:
        return f"{self.run} — {self.school_id}"


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
