from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VieScolaireConfig(AppConfig):
    name = "vie_scolaire"
    verbose_name = _("Vie scolaire")
