"""The directory registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_module

DIRECTORY = register_module(
    code="annuaire",
    label=_("Annuaire"),
    url_name="annuaire:directory",
    description=_("Les classes, les groupes et les personnes de l'établissement."),
    order=90,
)
