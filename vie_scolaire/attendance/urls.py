"""The attendance's routes: /<uai>/absences/... (namespace `attendance`), and the roll call of a lesson,
which hangs on the timetable's lessons (/<uai>/emploi-du-temps/seances/<id>/appel/, `timetable:roll_call`).
vie_scolaire/urls.py names the namespaces."""

from django.urls import URLPattern, path

from vie_scolaire.attendance.views import justifications, office, roll_call

urlpatterns: list[URLPattern] = [
    path("", roll_call.home, name="home"),
    # The families' side: a student's year, justifying and declaring; the office's queue of justifications.
    path("eleves/<int:student_id>/", justifications.student, name="student"),
    path("eleves/<int:student_id>/justifier/", justifications.justify, name="justify"),
    path("eleves/<int:student_id>/declarer/", justifications.declare, name="declare"),
    path("eleves/<int:student_id>/absence/", justifications.record_absence, name="record_absence"),
    path("eleves/<int:student_id>/motifs/", justifications.set_reason, name="set_reason"),
    # An adult student's choice that their parents follow their attendance or no longer do.
    path("eleves/<int:student_id>/suivi-familial/", justifications.family_follow, name="family_follow"),
    path("justifications/", justifications.justifications, name="justifications"),
    path("justifications/<int:justification_id>/", justifications.decide, name="decide"),
    path("justifications/<int:justification_id>/document/", justifications.document, name="document"),
]

# The vie scolaire office: the desk of the day, statistics, the legal count of half-days.
urlpatterns += [
    path("bureau/", office.desk, name="desk"),
    path("statistiques/", office.statistics, name="statistics"),
    path("seuils/", office.thresholds, name="thresholds"),
    path("regles/", office.rules, name="rules"),
]

# The roll call of one lesson: one of the timetable's pages (namespace `timetable`).
lesson_urlpatterns: list[URLPattern] = [
    path("seances/<int:lesson_id>/appel/", roll_call.roll_call, name="roll_call"),
]
