from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnuaireConfig(AppConfig):
    name = "annuaire"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from annuaire import modules, permissions  # noqa: F401  (role table, module registry)
