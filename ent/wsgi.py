"""WSGI entry point, served by gunicorn in production, behind the overload guard."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from ent.overload import guarded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
application = guarded(get_wsgi_application(), settings)
