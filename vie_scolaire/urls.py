"""The timetable module: /<uai>/emploi-du-temps/..."""

from django.urls import path

from vie_scolaire import views

app_name = "timetable"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("eleves/<int:student_id>/", views.student, name="student"),
    path("classes/<int:division_id>/", views.division, name="division"),
    path("enseignants/<int:teacher_id>/", views.teacher, name="teacher"),
    path("salles/<int:room_id>/", views.room, name="room"),
    path("seances/<int:lesson_id>/modifier/", views.lesson_change, name="lesson_change"),
    path("seances/<int:lesson_id>/retablir/", views.lesson_restore, name="lesson_restore"),
    path("seances/<int:lesson_id>/appel/", views.roll_call, name="roll_call"),
    path("agendas/", views.feeds, name="feeds"),
    path("agendas/<int:feed_id>/revoquer/", views.feed_revoke, name="feed_revoke"),
]
