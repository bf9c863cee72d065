from django.contrib.admin.apps import AdminConfig


class ParkOpsAdminConfig(AdminConfig):
    """The Django admin with ParkOps's site: dashboard panels and a throttled sign-in."""

    default_site = "parkops.admin_site.ParkOpsAdminSite"
