"""The report cards' routes, under /<uai>/notes/... (namespace `grades` in vie_scolaire/urls.py)."""

from django.urls import URLPattern, path

from vie_scolaire.report_cards import views

urlpatterns: list[URLPattern] = [
    path("services/<int:assignment_id>/appreciations/", views.comments, name="comments"),
    path("classes/<int:division_id>/conseil/", views.council, name="council"),
    path("classes/<int:division_id>/bulletins/", views.generate, name="generate"),
    path("eleves/<int:student_id>/bulletins/", views.family, name="report_cards"),
    path("bulletins/<int:card_id>/", views.download, name="report_card"),
    path("lsu/", views.lsu, name="lsu"),
]
