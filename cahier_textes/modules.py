"""The homework book registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_module

HOMEWORK = register_module(
    code="homework",
    label=_("Cahier de textes"),
    url_name="homework:home",
    description=_("Le contenu des séances et le travail à faire, lus par les élèves et leurs familles."),
    order=25,
)
