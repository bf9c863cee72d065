from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeasesConfig(AppConfig):
    name = "leases"
    verbose_name = _("Space and leases")

    def ready(self):
        from .plan_cache import connect_signals

        connect_signals()
