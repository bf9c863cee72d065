"""What billing tells the companies (their admins) and the staff on duty, through notifications."""

from django.urls import reverse

from notifications.events import Event
from notifications.services import News, notify, notify_each
from tenants.models import TenantCompany
from tenants.selectors import company_admins_by_company, company_recipients


def company_tell(*, company_id: int, event: Event, context: dict, link: str, staff_link: str) -> None:
    notify(
        event=event,
        context=context,
        users=company_recipients(TenantCompany(pk=company_id)),
        link=link,
        staff_link=staff_link,
    )


def bills_tell(event: Event, bills: list[tuple]) -> None:
    """Tell each bill's company (its admins) and the staff on duty, each ``(bill, context)`` with its
    own figures; the admins of all the companies are read at once."""
    admins = company_admins_by_company(bill.company_id for bill, _context in bills)
    notify_each(
        event=event,
        news=[
            News(
                context={"bill": bill, **context},
                users=tuple(admins.get(bill.company_id, ())),
                link=reverse("portal:bill", args=[bill.pk]),
                staff_link=reverse("admin:billing_bill_change", args=[bill.pk]),
            )
            for bill, context in bills
        ],
    )
