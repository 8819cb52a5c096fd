"""The timetable registers itself as a module of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_module

TIMETABLE = register_module(
    code="timetable",
    label=_("Emploi du temps"),
    url_name="timetable:mine",
    description=_("Les cours de la semaine, leurs changements et l'agenda à synchroniser."),
    order=10,
)

GRADES = register_module(
    code="grades",
    label=_("Notes"),
    url_name="grades:home",
    description=_("Les évaluations, les notes et les moyennes expliquées."),
    order=20,
)

ATTENDANCE = register_module(
    code="attendance",
    label=_("Absences"),
    url_name="attendance:home",
    description=_("L'appel, les absences et les retards, leurs justifications et les alertes aux familles."),
    order=30,
)
