from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Bills and payments")

    def ready(self):
        from core.files import private_files_register

        def owns_fapiao(user, name):
            from .models import Fapiao

            return Fapiao.objects.filter(document=name, bill__company__memberships__user=user).exists()

        private_files_register("fapiao/files/", permission="billing.view_fapiao", tenant_owns=owns_fapiao)
        private_files_register("fapiao/batches/", permission="billing.view_fapiaobatch")
        private_files_register("fapiao/results/", permission="billing.view_fapiaobatch")
