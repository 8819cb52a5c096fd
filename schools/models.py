"""Schools (tenants), deployment waves and per-school services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from schools.tenancy import TenantModel
from schools.uai import validate_uai_shape


class Wave(models.Model):
    """A deployment wave: the establishments that open their ENT together."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("nom"), max_length=100)
    opens_on = models.DateField(_("ouverture prévue"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("vague de déploiement")
        verbose_name_plural = _("vagues de déploiement")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class School(models.Model):
    class Kind(models.TextChoices):
        COLLEGE = "college", _("Collège")
        LYCEE = "lycee", _("Lycée")
        LYCEE_PRO = "lycee_pro", _("Lycée professionnel")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("En préparation")
        OPEN = "open", _("Ouvert")
        CLOSED = "closed", _("Fermé")

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai_shape])
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, default="Paris")
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PREPARING)
    wave = models.ForeignKey(
        Wave, verbose_name=_("vague"), null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    charter = models.TextField(
        _("charte d'usage"),
        blank=True,
        help_text=_("Texte de la charte d'usage que chaque utilisateur accepte à l'activation de son compte."),
    )
    # Imported schools may carry a wrong check letter (anonymised rectorat data).
    uai_check_warning = models.BooleanField(default=False, editable=False)
    # The structure's key in the rectorat's directory, unique within its académie only.
    external_source = models.CharField(_("académie d'origine"), max_length=50, blank=True)
    external_id = models.CharField(_("identifiant AAF"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_directory_structure",
            ),
        ]
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        permissions = [
            ("view_overview", _("Voir la vue d'ensemble de l'établissement")),
            ("manage_services", _("Activer ou désactiver les services de l'établissement")),
            ("manage_accounts", _("Gérer les comptes de l'établissement")),
            ("manage_delegations", _("Déléguer des droits dans l'établissement")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"


class SchoolService(TenantModel):
    """How one school runs one module: on, off, or replaced by a tool already in use."""

    class State(models.TextChoices):
        ON = "on", _("Activé")
        OFF = "off", _("Désactivé")
        EXTERNAL = "external", _("Remplacé par un lien externe")

    module = models.CharField(_("service"), max_length=50)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.ON)
    external_url = models.URLField(_("adresse du service externe"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["school", "module"], name="unique_school_service")]
        verbose_name = _("service de l'établissement")
        verbose_name_plural = _("services de l'établissement")

    def __str__(self) -> str:
        return f"{self.module}: {self.state}"


class SchoolUserObjectPermission(UserObjectPermissionBase):
    """A right a head delegates to one person in their school (django-guardian, direct key)."""

    content_object = models.ForeignKey(School, on_delete=models.CASCADE, related_name="delegations")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("délégation")
        verbose_name_plural = _("délégations")


class SchoolGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE, related_name="group_delegations")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("délégation de groupe")
        verbose_name_plural = _("délégations de groupe")
