"""The timetable's routes: /<uai>/emploi-du-temps/... and, in the school's administration,
/<uai>/administration/calendrier/ and .../emploi-du-temps/ (namespaces in vie_scolaire/urls.py)."""

from django.urls import URLPattern, path

from vie_scolaire.timetable.views import admin, pages

urlpatterns: list[URLPattern] = [
    path("", pages.mine, name="mine"),
    path("eleves/<int:student_id>/", pages.student, name="student"),
    path("classes/<int:division_id>/", pages.division, name="division"),
    path("enseignants/<int:teacher_id>/", pages.teacher, name="teacher"),
    path("salles/<int:room_id>/", pages.room, name="room"),
    path("seances/<int:lesson_id>/modifier/", pages.lesson_change, name="lesson_change"),
    path("seances/<int:lesson_id>/retablir/", pages.lesson_restore, name="lesson_restore"),
    path("agendas/", pages.feeds, name="feeds"),
    path("agendas/<int:feed_id>/revoquer/", pages.feed_revoke, name="feed_revoke"),
]

# The school's administration of its calendar (days, closures, terms, A/B weeks, slots, rooms)
# and of its timetable files.
admin_urlpatterns: list[URLPattern] = [
    path("calendrier/", admin.calendar, name="calendar"),
    path("emploi-du-temps/", admin.import_files, name="import"),
]
