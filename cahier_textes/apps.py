from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CahierTextesConfig(AppConfig):
    name = "cahier_textes"
    verbose_name = _("Cahier de textes")

    def ready(self) -> None:
        from cahier_textes import modules, permissions, rules  # noqa: F401  (role table, rules, module registry)
