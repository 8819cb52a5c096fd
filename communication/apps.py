from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Communication")

    def ready(self) -> None:
        # The role table and the module registry learn messaging's and the announcements' rights and modules.
        from communication.announcements import modules as announcements_modules  # noqa: F401
        from communication.announcements import permissions as announcements_permissions  # noqa: F401
        from communication.messaging import modules as messaging_modules  # noqa: F401
        from communication.messaging import permissions as messaging_permissions  # noqa: F401
