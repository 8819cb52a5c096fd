"""The notification center: /notifications/... (personal, across the user's schools)."""

from django.urls import path

from communication.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("tout-lu/", views.notification_read_all, name="read_all"),
    path("compte/", views.notification_count, name="count"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:notification_id>/lu/", views.notification_read, name="read"),
]
