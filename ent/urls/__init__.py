"""The project's URLs: personal home, sign-in, city console, API, and the tenant URLs /<uai>/..."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, register_converter

from annuaire.views import language
from ent import views
from ent.converters import UaiConverter
from vie_scolaire import urls as vie_scolaire_urls
from vie_scolaire.calendar import views as calendar_views
from vie_scolaire.timetable.views import pages as timetable_views

register_converter(UaiConverter, "uai")

tenant_patterns: list[URLPattern | URLResolver] = [
    path("", views.school_home, name="school_home"),
    path("administration/", include("annuaire.urls.admin")),
    path("administration/", include("schools.urls")),
    path("administration/", include(vie_scolaire_urls.timetable_admin_urls)),
    path("annuaire/", include("annuaire.urls")),
    path("emploi-du-temps/", include(vie_scolaire_urls.timetable_urls)),
    path("notes/", include(vie_scolaire_urls.grades_urls)),
    path("absences/", include(vie_scolaire_urls.attendance_urls)),
    path("cahier-de-textes/", include("cahier_textes.urls")),
    path("messagerie/", include("communication.messaging.urls")),
    path("actualites/", include("communication.announcements.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accounts/", include("annuaire.urls.account")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("communication.notifications.urls")),
    path("ville/vacances/", calendar_views.city_holidays, name="city_holidays"),
    path("ville/", include("annuaire.urls.city")),
    # A calendar app's subscription: the secret key is the credential, no session.
    path("agenda/<str:key>.ics", timetable_views.feed, name="timetable_feed"),
    path("api/v1/", include("ent.urls.api")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("<uai:uai>/", include(tenant_patterns)),
]

handler403 = "ent.views.permission_denied"
handler404 = "ent.views.page_not_found"
