"""The messaging: /<uai>/messagerie/..."""

from django.urls import path

from communication.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("envoyes/", views.sent, name="sent"),
    path("brouillons/", views.drafts, name="drafts"),
    path("corbeille/", views.trash, name="trash"),
    path("nouveau/", views.compose, name="compose"),
    path("brouillons/<int:draft_id>/", views.compose, name="draft"),
    path("brouillons/<int:draft_id>/supprimer/", views.draft_delete, name="draft_delete"),
    path("conversations/<int:conversation_id>/", views.conversation, name="conversation"),
    path("messages/<int:message_id>/signaler/", views.report, name="report"),
    path("pieces-jointes/<int:file_id>/", views.attachment, name="attachment"),
    path("enfants/<int:student_id>/", views.child, name="child"),
    path("regles/", views.rules, name="rules"),
    path("suspension/", views.suspension, name="suspension"),
    path("signalements/", views.reports, name="reports"),
]
