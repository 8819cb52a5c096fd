from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Établissements")

    def ready(self) -> None:
        if not settings.DATABASE_SCOPE_IN_CONNECTION:
            connection_created.connect(_scope_each_transaction, dispatch_uid="schools.scope_each_transaction")


def _scope_each_transaction(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Imported when a connection opens: the tenancy module declares a model, which needs the app registry.
    from schools.tenancy import scope_each_transaction

    if connection.vendor == "postgresql" and scope_each_transaction not in connection.execute_wrappers:
        connection.execute_wrappers.append(scope_each_transaction)
