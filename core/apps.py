from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Code shared by every app that knows no domain: database, API, admin and document helpers."""

    name = "core"
    verbose_name = _("ParkOps")

    def ready(self):
        from .speedups import token_cache  # noqa: F401  (connects the signals that forget cached tokens)
