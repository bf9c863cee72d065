"""The operations group's daily digest: leases nearing their end and bills that became overdue."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from billing.services import bills_mark_overdue
from leases.models import Lease, LeaseAlert
from notifications.events import Event
from notifications.services import notify
from tenants.selectors import company_recipients

EXPIRY_THRESHOLDS = (180, 90, 30)


@transaction.atomic
def alerts_send(*, on: datetime.date) -> dict[str, list]:
    """Mark overdue bills and record which leases crossed 180, 90 or 30 days before their end;
    email what is new to ``OPERATIONS_EMAILS``. Each lease is reported once per threshold."""
    overdue = bills_mark_overdue(on=on)
    expiring = []
    candidates = (
        Lease.objects.in_force(on=on)
        .filter(ends_on__lte=on + datetime.timedelta(days=max(EXPIRY_THRESHOLDS)), terminated_on__isnull=True)
        .select_related("tenant")
        .prefetch_related("alerts")
    )
    for lease in candidates:
        days_left = (lease.ends_on - on).days
        sent = {alert.threshold_days for alert in lease.alerts.all()}
        crossed = [t for t in EXPIRY_THRESHOLDS if days_left <= t and t not in sent]
        if crossed:
            LeaseAlert.objects.bulk_create(LeaseAlert(lease=lease, threshold_days=t, sent_on=on) for t in crossed)
            expiring.append((lease, min(crossed), days_left))
            notify(
                event=Event.LEASE_EXPIRING,
                context={"lease": lease, "days": days_left},
                users=company_recipients(lease.tenant),
                link=reverse("portal:dashboard"),
                staff_link=reverse("admin:leases_lease_change", args=[lease.pk]),
            )
    if (expiring or overdue) and settings.OPERATIONS_EMAILS:
        lines = [_("Leases nearing their end:")] if expiring else []
        lines += [
            f"- {lease.number} {lease.tenant.display_name}: {lease.ends_on.isoformat()} "
            + _("(%(days)d days left, within %(threshold)d)") % {"days": days_left, "threshold": threshold}
            for lease, threshold, days_left in expiring
        ]
        if overdue:
            lines.append(_("Bills now overdue:"))
            lines += [f"- {bill.number}: {bill.outstanding_amount} ({bill.due_on.isoformat()})" for bill in overdue]
        subject = _("ParkOps daily alerts: %(leases)d leases ending, %(bills)d bills overdue") % {
            "leases": len(expiring),
            "bills": len(overdue),
        }
        transaction.on_commit(
            lambda: send_mail(subject, "\n".join(lines), None, settings.OPERATIONS_EMAILS, fail_silently=False)
        )
    return {"expiring": expiring, "overdue": overdue}
