from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Space inventory")

    def ready(self):
        from .plan_cache import connect_signals

        connect_signals()
