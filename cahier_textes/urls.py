"""The homework book: /<uai>/cahier-de-textes/..."""

from django.urls import path

from cahier_textes import views

app_name = "homework"

urlpatterns = [
    path("", views.home, name="home"),
    path("eleves/<int:student_id>/", views.student, name="student"),
    path("seances/<int:lesson_id>/", views.lesson, name="lesson"),
    path("travaux/<int:homework_id>/fait/", views.tick, name="tick"),
    path("documents/<int:attachment_id>/", views.attachment, name="attachment"),
    path("classes/<int:division_id>/", views.division_book, name="division"),
    path("classes/<int:division_id>/visa/", views.visa, name="visa"),
    path("classes/<int:division_id>/pdf/", views.book_pdf, name="pdf"),
    path("classes/<int:division_id>/charge/", views.workload, name="workload"),
]
