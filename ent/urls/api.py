"""The API: /api/v1/...

Personal routes (`me/`) sit at the top; tenant routes are `/api/v1/<uai>/...`, where the
tenant middleware resolves the school and enters its scope, and each view checks the
membership with `annuaire.api.permissions.IsSchoolMember`. Apps add their tenant routes
to `TENANT_API_ROUTES`.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.views import APIView

from annuaire.api import directory as annuaire_api
from cahier_textes import api as book_api
from communication.announcements import api as announcements_api
from communication.messaging import api as messaging_api
from communication.notifications import api as notifications_api
from vie_scolaire.attendance import api as api_attendance
from vie_scolaire.grades import api as api_grades
from vie_scolaire.timetable import api as timetable_api

# (route, view, URL name): every tenant route is `path(route, view.as_view(), name=name)`.
TENANT_API_ROUTES: list[tuple[str, type[APIView], str]] = [
    ("divisions/", annuaire_api.DivisionListView, "api-divisions"),
    ("divisions/<int:division_id>/", annuaire_api.DivisionDetailView, "api-division"),
    ("accounts/", annuaire_api.AccountListView, "api-accounts"),
    ("timetable/", timetable_api.TimetableView, "api-timetable"),
    ("grades/", api_grades.GradesView, "api-grades"),
    ("averages/", api_grades.AveragesView, "api-averages"),
    ("assessments/", api_grades.AssessmentCreateView, "api-assessments"),
    ("assessments/<int:assessment_id>/grades/", api_grades.AssessmentGradesView, "api-assessment-grades"),
    ("absences/", api_attendance.AbsencesView, "api-absences"),
    ("lessons/<int:lesson_id>/roll-call/", api_attendance.RollCallView, "api-roll-call"),
    ("homework/", book_api.HomeworkView, "api-homework"),
    ("homework/<int:homework_id>/done/", book_api.HomeworkDoneView, "api-homework-done"),
    ("lesson-entries/", book_api.LessonEntriesView, "api-lesson-entries"),
    ("conversations/", messaging_api.ConversationsView, "api-conversations"),
    ("announcements/", announcements_api.AnnouncementsView, "api-announcements"),
]
tenant_api_patterns = [path(route, view.as_view(), name=name) for route, view, name in TENANT_API_ROUTES]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", annuaire_api.MeView.as_view(), name="api-me"),
    path("notifications/", notifications_api.NotificationsView.as_view(), name="api-notifications"),
    path("<uai:uai>/", include(tenant_api_patterns)),
]
