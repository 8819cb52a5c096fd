"""School administration owned by schools: /<uai>/administration/services/"""

from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("services/", views.services, name="services"),
]
