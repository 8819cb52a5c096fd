from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Communication")

    def ready(self) -> None:
        from communication import modules_messaging, permissions_messaging  # noqa: F401  (module, role table)
