from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CahierTextesConfig(AppConfig):
    name = "cahier_textes"
    verbose_name = _("Cahier de textes")
