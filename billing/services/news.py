"""What billing tells the companies (their admins) and the staff on duty, through notifications."""

from django.urls import reverse

from notifications.events import Event
from notifications.services import notify
from tenants.models import TenantCompany
from tenants.selectors import company_recipients


def company_tell(*, company_id: int, event: Event, context: dict, link: str, staff_link: str) -> None:
    notify(
        event=event,
        context=context,
        users=company_recipients(TenantCompany(pk=company_id)),
        link=link,
        staff_link=staff_link,
    )


def bill_tell(bill, event: Event, **context) -> None:
    company_tell(
        company_id=bill.company_id,
        event=event,
        context={"bill": bill, **context},
        link=reverse("portal:bill", args=[bill.pk]),
        staff_link=reverse("admin:billing_bill_change", args=[bill.pk]),
    )
