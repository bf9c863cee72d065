from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dashboard
from leases.selectors import leasing_alerts

from . import contracts, pipeline

__all__ = ["contracts", "pipeline"]


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
            "arrears_url": reverse("admin:billing_bill_arrears"),
        },
    )
