"""The directory registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_modules

# (code, label, url_name, order, description)
(DIRECTORY,) = register_modules(
    ("annuaire", _("Annuaire"), "annuaire:directory", 90,
     _("Les classes, les groupes et les personnes de l'établissement.")),
)  # fmt: skip
