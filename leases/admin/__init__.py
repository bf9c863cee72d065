from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leases.selectors import leasing_alerts
from parkops import dashboard

from . import apartments, billing, contracts, inventory, pipeline, service

__all__ = ["apartments", "billing", "contracts", "inventory", "pipeline", "service"]


@dashboard.register
def leasing_panel(request):
    if not request.user.has_perm("leases.view_lease"):
        return None
    return dashboard.Panel(
        title=_("Leases and bills"),
        template="admin/leases/alerts_panel.html",
        context={
            "alerts": leasing_alerts(on=timezone.localdate()),
            "leases_url": reverse("admin:leases_lease_changelist"),
            "arrears_url": reverse("admin:leases_bill_arrears"),
        },
    )
