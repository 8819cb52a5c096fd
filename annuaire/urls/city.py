"""The city console: /ville/..."""

from django.urls import path

from annuaire.views import imports, oversight

app_name = "city"

urlpatterns = [
    path("", oversight.city_console, name="console"),
    path("imports/", imports.city_history, name="imports"),
]
