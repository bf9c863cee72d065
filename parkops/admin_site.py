from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .auth import ThrottledAuthenticationForm
from .dashboard import panels_for


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in: staff only, throttled like the portal's."""


class ParkOpsAdminSite(admin.AdminSite):
    site_header = _("ParkOps · Lingnan Digital Creative Building")
    site_title = _("ParkOps")
    index_title = _("Tower operations")
    index_template = "admin/parkops/index.html"
    login_form = AdminLoginForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = {}

    def get_app_list(self, request, app_label=None):
        """The apps and models the user may open, built once per language and set of permissions.

        Every admin page lists them in its sidebar, and building them (permission checks and two
        URLs per model) cost a millisecond or two on every page. They depend on nothing else: the
        models are registered at start-up and no admin here decides permissions by anything but the
        user's. The list is shared; callers must not change it.
        """
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user = request.user
        permissions = "superuser" if user.is_active and user.is_superuser else frozenset(user.get_all_permissions())
        key = (get_language(), get_script_prefix(), permissions)
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = self._app_lists[key] = super().get_app_list(request)
        return app_list

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard_panels": panels_for(request)})
