from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .dashboard import panels_for


class ParkOpsAdminSite(admin.AdminSite):
    site_header = _("ParkOps · Lingnan Digital Creative Building")
    site_title = _("ParkOps")
    index_title = _("Tower operations")
    index_template = "admin/parkops/index.html"

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard_panels": panels_for(request)})


class ParkOpsAdminConfig(AdminConfig):
    default_site = "parkops.admin_site.ParkOpsAdminSite"
