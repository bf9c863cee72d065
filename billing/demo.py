"""Demo bills and payments: what fell due is issued and mostly paid (demo values)."""

import datetime

from tenants.models import TenantCompany

from .models import Bill, Payment
from .services import bills_issue_due, payment_record


def seed_billing(*, on: datetime.date) -> None:
    """Issue the bills falling due by ``on`` and pay them, except that about one tenant in seven is
    behind by one to four bills, so the arrears report has something to age (demo values)."""
    bills_issue_due(on=on)
    open_bills = Bill.objects.open().filter(due_on__lte=on).select_related("company").order_by("company", "due_on")
    by_company: dict[TenantCompany, list[Bill]] = {}
    for bill in open_bills:
        by_company.setdefault(bill.company, []).append(bill)
    for company, bills in by_company.items():
        seed = int(company.credit_code[6:14])  # stable per company, so a second run decides the same
        behind = 1 + seed % 4 if seed % 7 == 3 else 0
        paid = bills[: len(bills) - behind]
        reference = f"DEMO-{company.credit_code}-{on.isoformat()}"
        if not paid or Payment.objects.filter(reference=reference).exists():
            continue
        payment_record(
            company=company,
            amount=sum(bill.outstanding_amount for bill in paid),
            received_on=on,
            method=Payment.Method.BANK_TRANSFER,
            reference=reference,
            note="演示数据 (demo payment)",
        )
