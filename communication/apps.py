from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Communication")

    def ready(self) -> None:
        # The role table and the module registry learn the announcements' rights and module.
        from communication import modules_announcements, permissions_announcements  # noqa: F401
