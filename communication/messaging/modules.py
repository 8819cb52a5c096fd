"""Messaging registers itself as a module of the ENT: /<uai>/messagerie/."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_modules

# (code, label, url_name, order, description)
(MESSAGING,) = register_modules(
    ("messaging", _("Messagerie"), "messaging:inbox", 50,
     _("Les échanges entre les familles, les élèves et l'équipe de l'établissement.")),
)  # fmt: skip
