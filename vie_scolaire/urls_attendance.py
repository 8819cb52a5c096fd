"""The attendance module: /<uai>/absences/... (roll calls themselves hang on the timetable's lessons)."""

from django.urls import path

from vie_scolaire import views_attendance, views_justifications, views_office

app_name = "attendance"

urlpatterns = [
    path("", views_attendance.home, name="home"),
    # The families' side: a student's year, justifying and declaring; the office's queue of justifications.
    path("eleves/<int:student_id>/", views_justifications.student, name="student"),
    path("eleves/<int:student_id>/justifier/", views_justifications.justify, name="justify"),
    path("eleves/<int:student_id>/declarer/", views_justifications.declare, name="declare"),
    path("eleves/<int:student_id>/absence/", views_justifications.record_absence, name="record_absence"),
    path("eleves/<int:student_id>/motifs/", views_justifications.set_reason, name="set_reason"),
    # An adult student's choice that their parents follow their attendance or no longer do.
    path("eleves/<int:student_id>/suivi-familial/", views_justifications.family_follow, name="family_follow"),
    path("justifications/", views_justifications.justifications, name="justifications"),
    path("justifications/<int:justification_id>/", views_justifications.decide, name="decide"),
    path("justifications/<int:justification_id>/document/", views_justifications.document, name="document"),
]

# The vie scolaire office: the desk of the day, statistics, the legal count of half-days.
urlpatterns += [
    path("bureau/", views_office.desk, name="desk"),
    path("statistiques/", views_office.statistics, name="statistics"),
    path("seuils/", views_office.thresholds, name="thresholds"),
    path("regles/", views_office.rules, name="rules"),
]
