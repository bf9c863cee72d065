"""Production: the base settings, refusing to start in debug mode."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG

if DEBUG:
    raise ImproperlyConfigured("parkops.settings.production must not run with DEBUG on.")
