"""The directory module: /<uai>/annuaire/..."""

from django.urls import path

from annuaire.views import directory

app_name = "annuaire"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("classes/<int:division_id>/", directory.division_detail, name="division"),
]
