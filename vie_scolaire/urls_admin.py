"""The timetable in the school's administration: /<uai>/administration/calendrier/ and .../emploi-du-temps/"""

from django.urls import path

from vie_scolaire import views_admin

app_name = "timetable_admin"

urlpatterns = [
    path("calendrier/", views_admin.calendar, name="calendar"),
    path("emploi-du-temps/", views_admin.import_files, name="import"),
]
