"""The attendance module: /<uai>/absences/... (roll calls themselves hang on the timetable's lessons)."""

from django.urls import path

from vie_scolaire import views_attendance, views_office

app_name = "attendance"

urlpatterns = [
    path("", views_attendance.home, name="home"),
]

# The vie scolaire office: the desk of the day, statistics, the legal count of half-days.
urlpatterns += [
    path("bureau/", views_office.desk, name="desk"),
    path("statistiques/", views_office.statistics, name="statistics"),
    path("seuils/", views_office.thresholds, name="thresholds"),
]
