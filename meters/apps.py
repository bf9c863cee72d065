from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = _("Utility meters")

    def ready(self):
        from core.files import private_files_register

        def owns_reading_photo(user, name):
            from tenants.selectors import tenant_membership

            from .models import MeterReading
            from .selectors import meter_list_for

            membership = tenant_membership(user)
            meters = meter_list_for(company=membership.company) if membership else []
            return membership is not None and MeterReading.objects.filter(photo=name, meter__in=meters).exists()

        def owns_dispute_photo(user, name):
            from .models import ChargeDispute

            return ChargeDispute.objects.filter(photo=name, company__memberships__user=user).exists()

        private_files_register("meters/photos/", permission="meters.view_meterreading", tenant_owns=owns_reading_photo)
        private_files_register(
            "meters/disputes/", permission="meters.view_chargedispute", tenant_owns=owns_dispute_photo
        )
