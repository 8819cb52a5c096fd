"""The homework book registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import Module, register

HOMEWORK = register(
    Module(
        code="homework",
        label=_("Cahier de textes"),
        url_name="homework:home",
        description=_("Le contenu des séances et le travail à faire, lus par les élèves et leurs familles."),
        profiles=frozenset({"student", "parent", "teacher", "staff", "direction"}),
        order=25,
    )
)
