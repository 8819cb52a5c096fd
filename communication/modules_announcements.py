"""Announcements register themselves as a module of the ENT (the namespace of their URLs is its code)."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_module

ANNOUNCEMENTS = register_module(
    code="announcements",
    label=_("Actualités"),
    url_name="announcements:list",
    description=_("Les informations de la direction à tout l'établissement, à des profils ou à des classes."),
    order=15,
)
