"""The URL namespaces of vie scolaire, as ent/urls.py includes them.

Each sub-domain lists its routes in its urls.py; a namespace gathers the routes its pages share
(names unchanged since the flat layout): `timetable:...` at /<uai>/emploi-du-temps/,
`timetable_admin:...` at /<uai>/administration/, `grades:...` at /<uai>/notes/ and
`attendance:...` at /<uai>/absences/.
"""

from vie_scolaire.attendance import urls as attendance
from vie_scolaire.grades import urls as grades
from vie_scolaire.report_cards import urls as report_cards
from vie_scolaire.timetable import urls as timetable

timetable_urls = (timetable.urlpatterns + attendance.lesson_urlpatterns, "timetable")
timetable_admin_urls = (timetable.admin_urlpatterns, "timetable_admin")
grades_urls = (grades.urlpatterns + report_cards.urlpatterns, "grades")
attendance_urls = (attendance.urlpatterns, "attendance")
