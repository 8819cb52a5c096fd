"""The API: /api/v1/...

Personal routes (`me/`) sit at the top; tenant routes are `/api/v1/<uai>/...`, where the
tenant middleware resolves the school and enters its scope, and each view checks the
membership with `annuaire.api_permissions.IsSchoolMember`. Apps add their tenant routes
to `tenant_api_patterns`.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annuaire import api as annuaire_api
from cahier_textes import api as book_api
from communication import api_messaging, api_notifications
from vie_scolaire.attendance import api as api_attendance
from vie_scolaire.grades import api as api_grades
from vie_scolaire.timetable import api as timetable_api

tenant_api_patterns = [
    path("divisions/", annuaire_api.DivisionListView.as_view(), name="api-divisions"),
    path("divisions/<int:division_id>/", annuaire_api.DivisionDetailView.as_view(), name="api-division"),
    path("accounts/", annuaire_api.AccountListView.as_view(), name="api-accounts"),
    path("timetable/", timetable_api.TimetableView.as_view(), name="api-timetable"),
    path("grades/", api_grades.GradesView.as_view(), name="api-grades"),
    path("averages/", api_grades.AveragesView.as_view(), name="api-averages"),
    path("assessments/", api_grades.AssessmentCreateView.as_view(), name="api-assessments"),
    path(
        "assessments/<int:assessment_id>/grades/",
        api_grades.AssessmentGradesView.as_view(),
        name="api-assessment-grades",
    ),
    path("absences/", api_attendance.AbsencesView.as_view(), name="api-absences"),
    path("lessons/<int:lesson_id>/roll-call/", api_attendance.RollCallView.as_view(), name="api-roll-call"),
    path("homework/", book_api.HomeworkView.as_view(), name="api-homework"),
    path("homework/<int:homework_id>/done/", book_api.HomeworkDoneView.as_view(), name="api-homework-done"),
    path("lesson-entries/", book_api.LessonEntriesView.as_view(), name="api-lesson-entries"),
    path("conversations/", api_messaging.ConversationsView.as_view(), name="api-conversations"),
    path("announcements/", api_notifications.AnnouncementsView.as_view(), name="api-announcements"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", annuaire_api.MeView.as_view(), name="api-me"),
    path("notifications/", api_notifications.NotificationsView.as_view(), name="api-notifications"),
    path("<uai:uai>/", include(tenant_api_patterns)),
]
