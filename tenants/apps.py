from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and partners")

    def ready(self):
        from core.files import private_files_register

        private_files_register("agreements/", permission="tenants.view_agreementdocument")
