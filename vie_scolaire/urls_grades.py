"""The grades module: /<uai>/notes/..."""

from django.urls import path

from vie_scolaire import views_grades, views_report_cards, views_skills

app_name = "grades"

urlpatterns = [
    path("", views_grades.home, name="home"),
    path("eleves/<int:student_id>/", views_grades.student, name="student"),
    path("eleves/<int:student_id>/moyennes/<int:assignment_id>/", views_grades.explain, name="explain"),
    path("services/<int:assignment_id>/", views_grades.grid, name="grid"),
    path("services/<int:assignment_id>/evaluations/nouvelle/", views_grades.new_assessment, name="new_assessment"),
    path("evaluations/<int:assessment_id>/notes/", views_grades.save_grade, name="save_grade"),
    path("services/<int:assignment_id>/appreciations/", views_report_cards.comments, name="comments"),
    path("classes/<int:division_id>/conseil/", views_report_cards.council, name="council"),
    path("classes/<int:division_id>/bulletins/", views_report_cards.generate, name="generate"),
    path("eleves/<int:student_id>/bulletins/", views_report_cards.family, name="report_cards"),
    path("bulletins/<int:card_id>/", views_report_cards.download, name="report_card"),
    path("lsu/", views_report_cards.lsu, name="lsu"),
    path("services/<int:assignment_id>/competences/", views_skills.service_skills, name="skills"),
    path("classes/<int:division_id>/positionnement/", views_skills.positioning, name="positioning"),
    path("classes/<int:division_id>/coefficients/", views_report_cards.coefficients, name="coefficients"),
]
