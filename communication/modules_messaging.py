"""Messaging registers itself as a module of the ENT: /<uai>/messagerie/."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_module

MESSAGING = register_module(
    code="messaging",
    label=_("Messagerie"),
    url_name="messaging:inbox",
    description=_("Les échanges entre les familles, les élèves et l'équipe de l'établissement."),
    order=50,
)
