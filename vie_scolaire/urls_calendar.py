"""The school year's calendar, in the school's administration: /<uai>/administration/calendrier/"""

from django.urls import path

from vie_scolaire import views_calendar

app_name = "calendar"

urlpatterns = [
    path("", views_calendar.calendar, name="edit"),
]
