from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from core.files import private_files_register

        def owns(user, name):
            from .models import ServiceRequestPhoto

            return ServiceRequestPhoto.objects.filter(image=name, request__company__memberships__user=user).exists()

        private_files_register("service-requests/", permission="servicedesk.view_servicerequest", tenant_owns=owns)
