"""The city console: /ville/..."""

from django.urls import path

from schools import views_city

app_name = "city"

urlpatterns = [
    path("", views_city.console, name="console"),
]
