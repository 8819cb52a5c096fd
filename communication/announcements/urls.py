"""Announcements: /<uai>/actualites/... (the namespace is the module's code, so switching it off hides them)."""

from django.urls import path

from communication.announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("nouvelle/", views.announcement_new, name="new"),
    path("reglage/", views.approval_setting, name="setting"),
    path("<int:announcement_id>/", views.announcement_detail, name="detail"),
    path("<int:announcement_id>/validation/", views.announcement_review, name="review"),
]
