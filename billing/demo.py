"""Demo bills and payments: what fell due is issued and mostly paid (demo values)."""

import datetime

from tenants.models import TenantCompany

from .models import Bill, Fapiao, InvoicingProfile, Payment
from .services import bills_issue_due, fapiao_issue_manual, fapiao_request, invoicing_profile_save, payment_record


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


def seed_invoicing(*, companies: list[TenantCompany]) -> None:
    """Invoicing details for the first companies and a fapiao asked for each one's latest paid bill,
    the oldest of them issued by hand (demo values)."""
    for index, company in enumerate(companies):
        if not InvoicingProfile.objects.filter(company=company).exists():
            invoicing_profile_save(
                company=company,
                title=company.name,
                taxpayer_number=company.credit_code,
                address_phone="广州市天河区金穗路 020-8888 0000（演示）",
                bank_account="招商银行广州分行 1209 0000 0000 00（演示）",
                fapiao_type="special" if index % 2 == 0 else "ordinary",
                email=f"finance{index + 1}@example.cn",
            )
        if Fapiao.objects.filter(company=company).exists():
            continue
        bill = (
            Bill.objects.filter(company=company, status=Bill.Status.PAID, resident_name="").order_by("-due_on").first()
        )
        if bill is None:
            continue
        fapiao = fapiao_request(bill=bill)
        if index == 0:
            fapiao_issue_manual(fapiao=fapiao, number=f"2644200000{bill.pk:010d}", issued_on=bill.issued_on)
