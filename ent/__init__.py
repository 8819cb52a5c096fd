"""The ENT Paris project: settings, URLs, Celery application, base views."""

from ent.celery import app as celery_app

__all__ = ["celery_app"]
