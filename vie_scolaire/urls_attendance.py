"""The attendance module: /<uai>/absences/... (roll calls themselves hang on the timetable's lessons)."""

from django.urls import path

from vie_scolaire import views_attendance

app_name = "attendance"

urlpatterns = [
    path("", views_attendance.home, name="home"),
]
