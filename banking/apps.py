from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "banking"
    verbose_name = _("Bank statements")

    def ready(self):
        from core.files import private_files_register

        private_files_register("bank-statements/", permission="banking.view_bankstatement")
