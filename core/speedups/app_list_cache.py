"""The admin's sidebar list of apps and models, built once per language and set of permissions.

Every admin page lists them, and building them (permission checks and two URLs per model) cost a
millisecond or two on every page (bench/RESULTS.md). Tested equal to Django's own list.
"""

from django.urls import get_script_prefix
from django.utils.translation import get_language


class CachedAppListMixin:
    """For an ``AdminSite`` whose permissions depend on nothing but the user's (none here does):
    the models are registered at start-up, so the list changes only with the language, the URL
    prefix and the user's permissions. The list is shared; callers must not change it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = {}

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user = request.user
        permissions = "superuser" if user.is_active and user.is_superuser else frozenset(user.get_all_permissions())
        key = (get_language(), get_script_prefix(), permissions)
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = self._app_lists[key] = super().get_app_list(request)
        return app_list
