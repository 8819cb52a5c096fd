"""The timetable, the grades and attendance register themselves as modules of the ENT."""

from django.utils.translation import gettext_lazy as _

from schools.modules import register_modules

# (code, label, url_name, order, description)
TIMETABLE, GRADES, ATTENDANCE = register_modules(
    ("timetable", _("Emploi du temps"), "timetable:mine", 10,
     _("Les cours de la semaine, leurs changements et l'agenda à synchroniser.")),
    ("grades", _("Notes"), "grades:home", 20,
     _("Les évaluations, les notes et les moyennes expliquées.")),
    ("attendance", _("Absences"), "attendance:home", 30,
     _("L'appel, les absences et les retards, leurs justifications et les alertes aux familles.")),
)  # fmt: skip
