from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnuaireConfig(AppConfig):
    name = "annuaire"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from annuaire import modules, permissions  # noqa: F401  (role table, module registry)
        from annuaire.selectors import profiles_in
        from schools.requests import register_profiles_reader

        register_profiles_reader(profiles_in)
