from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PedagogieConfig(AppConfig):
    name = "pedagogie"
    verbose_name = _("Pédagogie")
