"""The grades' routes: /<uai>/notes/... (namespace `grades` in vie_scolaire/urls.py)."""

from django.urls import URLPattern, path

from vie_scolaire import views_report_cards
from vie_scolaire.grades import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("eleves/<int:student_id>/", views.student, name="student"),
    path("eleves/<int:student_id>/moyennes/<int:assignment_id>/", views.explain, name="explain"),
    path("services/<int:assignment_id>/", views.grid, name="grid"),
    path("services/<int:assignment_id>/evaluations/nouvelle/", views.new_assessment, name="new_assessment"),
    path("evaluations/<int:assessment_id>/notes/", views.save_grade, name="save_grade"),
    path("services/<int:assignment_id>/appreciations/", views_report_cards.comments, name="comments"),
    path("classes/<int:division_id>/conseil/", views_report_cards.council, name="council"),
    path("classes/<int:division_id>/bulletins/", views_report_cards.generate, name="generate"),
    path("eleves/<int:student_id>/bulletins/", views_report_cards.family, name="report_cards"),
    path("bulletins/<int:card_id>/", views_report_cards.download, name="report_card"),
    path("lsu/", views_report_cards.lsu, name="lsu"),
    path("services/<int:assignment_id>/competences/", views.service_skills, name="skills"),
    path("classes/<int:division_id>/positionnement/", views.positioning, name="positioning"),
    path("classes/<int:division_id>/coefficients/", views.coefficients, name="coefficients"),
]
