from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Park statistics")

    def ready(self):
        from core.files import private_files_register

        def owns(user, name):
            from .models import FilingEvidence

            return FilingEvidence.objects.filter(file=name, filing__company__memberships__user=user).exists()

        private_files_register("filings/", permission="filings.view_filing", tenant_owns=owns)
