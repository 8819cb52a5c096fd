"""The grades module: /<uai>/notes/..."""

from django.urls import path

from vie_scolaire import views_grades

app_name = "grades"

urlpatterns = [
    path("", views_grades.home, name="home"),
    path("eleves/<int:student_id>/", views_grades.student, name="student"),
    path("eleves/<int:student_id>/moyennes/<int:assignment_id>/", views_grades.explain, name="explain"),
    path("services/<int:assignment_id>/", views_grades.grid, name="grid"),
    path("services/<int:assignment_id>/evaluations/nouvelle/", views_grades.new_assessment, name="new_assessment"),
    path("evaluations/<int:assessment_id>/notes/", views_grades.save_grade, name="save_grade"),
]
