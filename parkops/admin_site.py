from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.auth import ThrottledAuthenticationForm
from core.dashboard import panels_for
from core.speedups.app_list_cache import CachedAppListMixin


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in: staff only, throttled like the portal's."""


class ParkOpsAdminSite(CachedAppListMixin, admin.AdminSite):
    site_header = _("ParkOps · Lingnan Digital Creative Building")
    site_title = _("ParkOps")
    index_title = _("Tower operations")
    index_template = "admin/parkops/index.html"
    login_form = AdminLoginForm

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard_panels": panels_for(request)})
