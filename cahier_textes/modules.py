"""The homework book registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_modules

# (code, label, url_name, order, description)
(HOMEWORK,) = register_modules(
    ("homework", _("Cahier de textes"), "homework:home", 25,
     _("Le contenu des séances et le travail à faire, lus par les élèves et leurs familles.")),
)  # fmt: skip
