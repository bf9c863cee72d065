from django.contrib.admin.apps import AdminConfig


class ParkOpsAdminConfig(AdminConfig):
    """The Django admin with ParkOps's site: dashboard panels and a throttled sign-in."""

    default_site = "parkops.admin_site.ParkOpsAdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin

        from .admin_auth import register_staff_accounts

        register_staff_accounts(admin.site)
