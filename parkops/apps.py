from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkopsConfig(AppConfig):
    name = "parkops"
    verbose_name = _("ParkOps")

    def ready(self):
        # Every app's tasks are registered in every process, so that services can queue them by
        # name (``core.jobs``) without importing the task modules that import them.
        from .celery import app

        app.autodiscover_tasks(force=True)
