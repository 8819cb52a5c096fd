"""School administration: /<uai>/administration/..."""

from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("services/", views.services, name="services"),
]
