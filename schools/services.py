"""Writes of the schools app: the per-school services switch."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from schools import modules
from schools.models import School, SchoolService
from schools.tenancy import school_scope

audit_log = logging.getLogger("ent.audit")

_EXTERNAL_URL_MAX_LENGTH = SchoolService._meta.get_field("external_url").max_length or 200
_https_only = URLValidator(schemes=["https"])


def clean_external_url(value: str) -> str:
    """The address of a tool replacing a module: required, https only; raises a French ValidationError."""
    url = (value or "").strip()
    if not url:
        raise ValidationError(
            _("Indiquez l'adresse (https://…) de l'outil qui remplace ce service."), code="external_url_required"
        )
    if len(url) > _EXTERNAL_URL_MAX_LENGTH:
        raise ValidationError(
            _("Cette adresse est trop longue (%(max)s caractères au plus).") % {"max": _EXTERNAL_URL_MAX_LENGTH},
            code="external_url_too_long",
        )
    try:
        _https_only(url)
    except ValidationError:
        raise ValidationError(
            _("« %(url)s » n'est pas une adresse sécurisée valide : elle doit commencer par https://.") % {"url": url},
            code="external_url_invalid",
        ) from None
    return url


@transaction.atomic
def set_service_state(
    *, school: School, module: str, state: str, external_url: str = "", changed_by: Any
) -> SchoolService:
    """Switch one module of one school on, off, or replace it by an external tool.

    The caller has checked `schools.manage_services` on the school. Bad input (unknown
    module, unknown state, missing or non-https address) raises a ValidationError in
    French and changes nothing. The address is kept only for the external state.
    """
    if modules.get(module) is None:
        raise ValidationError(_("Le service « %(module)s » n'existe pas.") % {"module": module}, code="unknown_module")
    if state not in SchoolService.State.values:
        raise ValidationError(_("L'état « %(state)s » n'existe pas.") % {"state": state}, code="unknown_state")
    url = clean_external_url(external_url) if state == SchoolService.State.EXTERNAL else ""
    with school_scope(school):
        service, created = SchoolService.objects.select_for_update().get_or_create(
            school=school, module=module, defaults={"state": state, "external_url": url, "changed_by": changed_by}
        )
        previous = (service.state, service.external_url)
        if not created and previous != (state, url):
            service.state = state
            service.external_url = url
            service.changed_by = changed_by
            service.save(update_fields=["state", "external_url", "changed_by", "updated_at"])
    audit_log.info(
        "service %s of school %s set to %s %s by user %s (was %s)",
        module,
        school.uai,
        state,
        url,
        getattr(changed_by, "pk", None),
        None if created else previous[0],
    )
    return service
