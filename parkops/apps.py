from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkopsConfig(AppConfig):
    name = "parkops"
    verbose_name = _("ParkOps")

    def ready(self):
        from .api import authentication  # noqa: F401  (connects the signals that forget cached tokens)
