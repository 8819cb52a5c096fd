"""The Celery application: Redis as broker, eager in-process without REDIS_URL."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")

app = Celery("ent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
