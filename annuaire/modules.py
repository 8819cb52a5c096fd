"""The directory registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import Module, register

DIRECTORY = register(
    Module(
        code="annuaire",
        label=_("Annuaire"),
        url_name="annuaire:directory",
        description=_("Les classes, les groupes et les personnes de l'établissement."),
        profiles=frozenset({"student", "parent", "teacher", "staff", "direction"}),
        order=90,
    )
)
