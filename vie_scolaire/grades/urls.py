"""The grades' routes: /<uai>/notes/... (namespace `grades` in vie_scolaire/urls.py)."""

from django.urls import URLPattern, path

from vie_scolaire.grades import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("eleves/<int:student_id>/", views.student, name="student"),
    path("eleves/<int:student_id>/moyennes/<int:assignment_id>/", views.explain, name="explain"),
    path("services/<int:assignment_id>/", views.grid, name="grid"),
    path("services/<int:assignment_id>/evaluations/nouvelle/", views.new_assessment, name="new_assessment"),
    path("evaluations/<int:assessment_id>/notes/", views.save_grade, name="save_grade"),
    path("services/<int:assignment_id>/competences/", views.service_skills, name="skills"),
    path("classes/<int:division_id>/positionnement/", views.positioning, name="positioning"),
    path("classes/<int:division_id>/coefficients/", views.coefficients, name="coefficients"),
]
