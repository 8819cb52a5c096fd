from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VieScolaireConfig(AppConfig):
    name = "vie_scolaire"
    verbose_name = _("Vie scolaire")

    def ready(self) -> None:
        from vie_scolaire import modules, permissions, rules, signals  # noqa: F401  (role table, rules, modules, signals)
