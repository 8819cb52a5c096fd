from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Communication")

    def ready(self) -> None:
        # The role table and the module registry learn messaging's and the announcements' rights and modules.
        from communication import (  # noqa: F401
            modules_announcements,
            modules_messaging,
            permissions_announcements,
            permissions_messaging,
        )
