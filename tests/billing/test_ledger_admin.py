"""The admin pages finance staff correct bills, payments and leases on."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import BooksClosing, LedgerEntry
from billing.services import bills_issue_due, deposit_receive, payment_record
from leases.models import LeaseSettlement
from leases.services import lease_terminate
from tests.factories import MONTH, monthly_lease

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_credit_note_waiver_and_void_from_the_bill_page(staff_client, today):
    lease = monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30), late_fee_rate=Decimal("0.0005"))
    bills_issue_due(on=D(2026, 10, 1))
    october = lease.bills.get(period_start=D(2026, 10, 1))
    page = staff_client.get(reverse("admin:billing_bill_change", args=[october.pk])).content.decode()
    assert reverse("admin:billing_bill_credit", args=[october.pk]) in page
    url = reverse("admin:billing_bill_credit", args=[october.pk])
    field = f"line_{october.lines.get().pk}"
    refused = staff_client.post(url, {field: "10000.01", "reason": "多记"})
    assert "At most 10000.00" in refused.content.decode() and not LedgerEntry.objects.filter(kind="credit_note")
    assert staff_client.post(url, {field: "400.00", "reason": "多记"}).status_code == 302
    october.refresh_from_db()
    assert october.amount_due == Decimal("9600.00")
    waive = reverse("admin:billing_bill_waive", args=[october.pk])
    assert "Only 0.00" in staff_client.post(waive, {"amount": "1.00", "reason": "x"}).content.decode()
    void = reverse("admin:billing_bill_void", args=[october.pk])
    assert staff_client.post(void, {"reason": "重开"}).status_code == 302
    october.refresh_from_db()
    assert october.status == "void" and october.amount_due == Decimal("0.00")


def test_a_bounced_payment_is_reversed_from_the_payment_page_and_the_books_close(staff_client, today):
    lease = monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30))
    bills_issue_due(on=D(2026, 10, 1))
    payment = payment_record(
        company=lease.tenant, amount=MONTH, received_on=D(2026, 10, 3), method="bank_transfer", reference="B-1"
    )
    url = reverse("admin:billing_payment_reverse", args=[payment.pk])
    assert staff_client.post(url, {"reason": "退票"}).status_code == 302
    assert LedgerEntry.objects.get(kind="payment_reversal").debit == MONTH
    closing = staff_client.post(reverse("admin:billing_booksclosing_add"), {"closed_through": "2026-10-31"})
    assert closing.status_code == 302 and BooksClosing.objects.get().closed_through == D(2026, 10, 31)
    backwards = staff_client.post(reverse("admin:billing_booksclosing_add"), {"closed_through": "2026-09-30"})
    assert "closed through 2026-10-31 already" in backwards.content.decode() and BooksClosing.objects.count() == 1
    late = staff_client.post(
        reverse("admin:billing_payment_add"),
        {
            "company": lease.tenant_id,
            "amount": "5.00",
            "received_on": "2026-10-30",
            "method": "cash",
            "reference": "LATE",
            "note": "",
            "bill": "",
            "allocations-TOTAL_FORMS": "0",
            "allocations-INITIAL_FORMS": "0",
            "ledger_entries-TOTAL_FORMS": "0",
            "ledger_entries-INITIAL_FORMS": "0",
        },
    )
    assert late.status_code == 200 and "closed through 2026-10-31" in late.content.decode()


def test_staff_see_the_settlement_before_confirming_it(staff_client, today):
    lease = monthly_lease(starts_on=D(2026, 1, 1), ends_on=D(2027, 12, 31), deposit_amount=MONTH)
    deposit_receive(
        lease_id=lease.pk,
        company_id=lease.tenant_id,
        amount=MONTH,
        received_on=D(2025, 12, 1),
        reference="D-1",
        required=MONTH,
    )
    bills_issue_due(on=today)  # January … December 2026 (December due 12-05, within 15 days)
    lease_terminate(lease=lease, on=D(2026, 11, 30), reason="退租")
    url = reverse("admin:leases_lease_settle", args=[lease.pk])
    page = staff_client.get(url).content.decode()
    # December is wholly after the end and unpaid: voided, 10,000 credited. Owed 120,000 before
    # (nothing paid), 110,000 after; the 10,000 deposit pays part of it; 100,000 left to collect.
    assert "120,000.00" in page and "100,000.00" in page and not LeaseSettlement.objects.exists()
    assert staff_client.post(url).status_code == 302
    settlement = LeaseSettlement.objects.get()
    assert (settlement.credited, settlement.deposit_applied, settlement.to_collect) == (
        MONTH,
        MONTH,
        Decimal("100000.00"),
    )
    assert lease.bills.get(period_start=D(2026, 12, 1)).status == "void"
    # The lease page: billed 120,000, December voided: 110,000; the deposit went to the bills.
    page = staff_client.get(reverse("admin:leases_lease_change", args=[lease.pk])).content.decode()
    readonly = dict(re.findall(r'<label>([^<]+):</label>\s*<div class="readonly">([^<]*)</div>', page))
    assert readonly["Billed so far, less credit notes (CNY)"].replace(",", "") == "110000.00"
    assert readonly["Deposit held (CNY)"] == "0.00"


def test_deposit_money_received_has_a_receipt_with_the_amount_in_capitals(
    client, api, world, tmp_path, django_user_model
):
    from tests.billing.test_billing import pdf_text

    a, b = world["a"], world["b"]
    entry = a["deposit_entry"]  # 100.00 received for company a's lease
    client.force_login(a["user"])
    download = client.get(reverse("portal:deposit_receipt", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = pdf_text(download.content, tmp_path)
    assert entry.receipt_number in text and "人民币壹佰元整" in text and a["lease"].number in text
    assert client.get(reverse("portal:deposit_receipt", args=[b["deposit_entry"].pk])).status_code == 404
    api.force_authenticate(b["user"])
    assert api.get(reverse("api:deposit-entry-receipt", args=[entry.pk])).status_code == 404
    mine = api.get(reverse("api:deposit-entry-receipt", args=[b["deposit_entry"].pk]))
    assert mine["Content-Type"] == "application/pdf"
    client.force_login(django_user_model.objects.create_superuser("cashier", password="x"))
    lease_page = client.get(reverse("admin:leases_lease_change", args=[a["lease"].pk])).content.decode()
    assert reverse("admin:leases_lease_deposit_receipt", args=[entry.pk]) in lease_page


def test_the_bill_pdf_shows_its_corrections_and_what_is_left_to_pay(client, world, tmp_path):
    from billing.services import bill_credit
    from tests.billing.test_billing import pdf_text

    a = world["a"]
    february = a["lease"].bills.get(period_start=D(2026, 2, 1))  # 10,000, nothing paid on it
    bill_credit(bill=february, credits=[(february.lines.get(), Decimal("1234.50"))], reason="补偿")
    client.force_login(a["user"])
    text = pdf_text(client.get(reverse("portal:bill_pdf", args=[february.pk])).content, tmp_path)
    assert "-1,234.50" in text and "8,765.50" in text
    assert "人民币捌仟柒佰陆拾伍元伍角" in "".join(text.split())  # the capitals may wrap


def test_amounts_in_the_bill_and_payment_lists_have_thousands_separators(staff_client, world):
    from django.urls import reverse

    for language in ("zh-hans", "en"):
        bills = staff_client.get(reverse("admin:billing_bill_changelist"), HTTP_ACCEPT_LANGUAGE=language)
        page = bills.content.decode()
        # each company's rent bill of 10,000 a month, January's with 100 paid
        assert '<td class="field-amount">10,000.00</td>' in page and "10000.00" not in page
        assert '<td class="field-outstanding_amount">9,900.00</td>' in page  # what it still asks
    payments = staff_client.get(reverse("admin:billing_payment_changelist")).content.decode()
    assert '<td class="field-amount">100.00</td>' in payments
