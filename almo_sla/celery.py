"""Celery application, configured from Django settings (``CELERY_*``).

With no ``CELERY_BROKER_URL`` the settings make tasks run eagerly in-process, so the
app works alone; with a broker, real workers run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almo_sla.settings")

app = Celery("almo_sla")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
