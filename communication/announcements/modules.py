"""Announcements register themselves as a module of the ENT (the namespace of their URLs is its code)."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_modules

# (code, label, url_name, order, description)
(ANNOUNCEMENTS,) = register_modules(
    ("announcements", _("Actualités"), "announcements:list", 15,
     _("Les informations de la direction à tout l'établissement, à des profils ou à des classes.")),
)  # fmt: skip
