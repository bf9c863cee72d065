"""The Celery application: configured from the CELERY_ settings, tasks found in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkops.settings.base")

app = Celery("parkops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
