import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing.models import Bill, DepositEntry, Payment, PaymentAllocation
from billing.selectors import arrears_by_company, company_credit
from billing.services import bill_issue, bill_void, bills_issue_due, payment_record
from leases.models import Lease, LeaseAlert, LeaseEscalation
from leases.services import (
    alerts_send,
    lease_create,
    lease_renew,
    lease_save,
    lease_sign,
    lease_terminate,
    leases_roll_status,
)
from tenants.models import TenantMembership
from tests.conftest import race, requires_postgres
from tests.factories import MONTH, TenantCompanyFactory, UnitFactory, monthly_lease

D = datetime.date
ZERO = Decimal("0.00")


@pytest.mark.django_db
def test_signing_schedules_one_bill_per_period_and_sets_the_status(today):
    lease = monthly_lease()
    assert lease.status == Lease.Status.ACTIVE
    bills = list(lease.bills.order_by("period_start"))
    assert len(bills) == 12 and {b.status for b in bills} == {Bill.Status.SCHEDULED}
    assert sum(b.amount for b in bills) == MONTH * 12
    assert [line.kind for line in bills[0].lines.all()] == ["rent"]
    assert monthly_lease("L-2", starts_on=D(2027, 1, 1), ends_on=D(2027, 6, 30)).status == Lease.Status.SIGNED


@pytest.mark.django_db
def test_issuing_numbers_bills_in_sequence_and_issues_those_due_soon(today):
    lease = monthly_lease(starts_on=D(2026, 11, 1), ends_on=D(2027, 10, 31))
    assert bills_issue_due(on=today) == 2  # November (due 11-05) and December (due 12-05, within 15 days)
    issued = lease.bills.exclude(status=Bill.Status.SCHEDULED).order_by("due_on")
    assert [(b.number, b.status) for b in issued] == [("ZD2026-000001", "overdue"), ("ZD2026-000002", "issued")]
    with pytest.raises(ValidationError):
        bill_issue(bill=issued[0], on=today)


@pytest.mark.django_db
def test_changing_terms_regenerates_only_bills_not_yet_issued(today):
    lease = monthly_lease()
    bills_issue_due(on=D(2026, 3, 1))  # January to March issued
    issued = {b.pk: b.amount for b in lease.bills.exclude(status=Bill.Status.SCHEDULED)}
    assert len(issued) == 3
    lease.rent_rate = Decimal("120")
    lease_save(lease=lease, reason="续谈后调价")
    after = {b.period_start: b for b in lease.bills.all()}
    assert {b.pk: b.amount for b in after.values() if b.pk in issued} == issued
    assert after[D(2026, 4, 1)].amount == Decimal("12000.00") and after[D(2026, 4, 1)].status == "scheduled"
    assert len(after) == 12


@pytest.mark.django_db
def test_early_termination_frees_the_units_and_cuts_the_schedule(today):
    lease = monthly_lease()
    lease_terminate(lease=lease, on=D(2026, 6, 15), reason="搬迁至自有物业")
    lease.refresh_from_db()
    assert lease.status == Lease.Status.TERMINATED and lease.last_day == D(2026, 6, 15)
    june = lease.bills.get(period_start=D(2026, 6, 1))
    assert june.period_end == D(2026, 6, 15) and june.amount == Decimal("5000.00")
    assert not lease.bills.filter(period_start__gt=D(2026, 6, 1)).exists()
    assert lease.lease_units.get().ends_on == D(2026, 6, 15)
    successor = lease_create(
        number="L-2",
        tenant=TenantCompanyFactory(),
        units=[lease.units.get()],
        starts_on=D(2026, 6, 16),
        ends_on=D(2026, 12, 31),
    )
    assert lease_sign(lease=successor, signed_on=D(2026, 6, 1)).status == Lease.Status.ACTIVE
    with pytest.raises(ValidationError, match="reason"):
        lease_terminate(lease=successor, on=D(2026, 7, 1), reason=" ")


@pytest.mark.django_db
def test_renewal_is_a_linked_draft_and_signing_it_renews_the_old_lease(today):
    old = monthly_lease(starts_on=D(2024, 1, 1), ends_on=D(2025, 12, 31))
    assert old.status == Lease.Status.EXPIRED
    renewal = lease_renew(lease=old, number="L-1-R", ends_on=D(2028, 12, 31), rent_rate=Decimal("110"))
    assert (renewal.status, renewal.starts_on, renewal.renews) == (Lease.Status.DRAFT, D(2026, 1, 1), old)
    assert list(renewal.units.all()) == list(old.units.all()) and renewal.rent_rate == Decimal("110")
    lease_sign(lease=renewal, signed_on=D(2025, 12, 1))
    old.refresh_from_db()
    assert old.status == Lease.Status.RENEWED


@pytest.mark.django_db
def test_the_daily_roll_activates_and_expires_leases():
    starting = monthly_lease("A", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    ending = monthly_lease("B", starts_on=D(2025, 1, 1), ends_on=D(2027, 1, 31))
    assert leases_roll_status(on=D(2027, 1, 1)) == 1
    assert leases_roll_status(on=D(2027, 2, 1)) == 1
    starting.refresh_from_db(), ending.refresh_from_db()
    assert starting.status == Lease.Status.ACTIVE and ending.status == Lease.Status.EXPIRED


@pytest.mark.django_db
def test_payments_pay_the_oldest_bills_first_and_keep_the_rest_as_credit(today):
    company = TenantCompanyFactory()
    lease = monthly_lease(company=company)
    bills_issue_due(on=D(2026, 3, 1))
    january, february, march = lease.bills.exclude(status="scheduled").order_by("due_on")
    payment_record(
        company=company, amount=Decimal("15000"), received_on=D(2026, 2, 10), method="bank_transfer", reference="TX-1"
    )
    for bill in (january, february, march):
        bill.refresh_from_db()
    assert (january.status, january.amount_paid) == ("paid", MONTH)
    assert (february.status, february.amount_paid) == ("overdue", Decimal("5000.00"))
    payment_record(
        company=company, amount=Decimal("20000"), received_on=D(2026, 3, 3), method="bank_transfer", reference="TX-2"
    )
    assert company_credit(company=company) == Decimal("5000.00")
    april = lease.bills.get(period_start=D(2026, 4, 1))
    april = bill_issue(bill=april, on=D(2026, 3, 25))
    assert (april.status, april.amount_paid) == ("overdue", Decimal("5000.00"))  # seen from 2026-11-24
    assert company_credit(company=company) == Decimal("0.00")
    assert sum(a.amount for a in PaymentAllocation.objects.all()) == Decimal("35000.00")


@pytest.mark.django_db
def test_a_payment_is_never_recorded_twice(today):
    company = TenantCompanyFactory(short_name="酷狗音乐")
    payment_record(
        company=company, amount=Decimal("100"), received_on=today, method="bank_transfer", reference="BANK-20261124-01"
    )
    with pytest.raises(ValidationError) as error:
        payment_record(
            company=company,
            amount=Decimal("100"),
            received_on=today,
            method="bank_transfer",
            reference=" BANK-20261124-01 ",
        )
    assert "already recorded: 100.00 from 酷狗音乐 on 2026-11-24" in error.value.message_dict["reference"][0]
    assert Payment.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            company=company, amount=1, received_on=today, method="bank_transfer", reference="BANK-20261124-01"
        )


@pytest.mark.django_db
def test_bad_payments_are_refused_and_write_nothing(today):
    company = TenantCompanyFactory()
    lease = monthly_lease(company=TenantCompanyFactory())
    bill = bill_issue(bill=lease.bills.order_by("due_on").first(), on=today)
    with pytest.raises(ValidationError, match="addressed to another company"):
        payment_record(
            company=company, amount=Decimal("10"), received_on=today, method="cash", reference="R1", bill=bill
        )
    with pytest.raises(ValidationError):
        payment_record(company=company, amount=Decimal("-10"), received_on=today, method="cash", reference="R2")
    assert Payment.objects.count() == 0 and PaymentAllocation.objects.count() == 0


@pytest.mark.django_db
def test_a_payment_aimed_at_a_void_or_unissued_bill_is_refused_and_writes_nothing(today, api, django_user_model):
    company = TenantCompanyFactory()
    lease = monthly_lease(company=company)
    bills_issue_due(on=D(2026, 2, 1))
    january = lease.bills.exclude(status="scheduled").order_by("due_on").first()
    void = bill_void(bill=january, reason="面积更正")
    unissued = lease.bills.filter(status="scheduled").order_by("due_on").last()
    for target in (void, unissued):
        with pytest.raises(ValidationError, match="Only an issued bill that is not fully paid"):
            payment_record(
                company=company,
                amount=Decimal("10"),
                received_on=today,
                method="cash",
                reference=f"T-{target.pk}",
                bill=target,
            )
    api.force_authenticate(django_user_model.objects.create_superuser("cashier", password="x"))
    answer = api.post(
        "/api/v1/payments/",
        {
            "company": company.pk,
            "amount": "10.00",
            "received_on": "2026-11-20",
            "method": "cash",
            "reference": "T-API",
            "bill": unissued.pk,
        },
        format="json",
    )
    assert answer.status_code == 400 and "Only an issued bill" in answer.json()["fields"]["bill"][0]
    assert Payment.objects.count() == 0 and PaymentAllocation.objects.count() == 0
    void.refresh_from_db()
    assert void.status == "void" and void.amount_paid == 0


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_posting_the_same_payment_at_once_record_it_once():
    company = TenantCompanyFactory()
    lease = monthly_lease(company=company)
    bills_issue_due(on=D(2026, 1, 1))
    outcomes = race(
        lambda _clerk: payment_record(
            company=company, amount=MONTH, received_on=D(2026, 1, 3), method="bank_transfer", reference="SAME-REF"
        ),
        range(4),
        refused=ValidationError,
    )
    assert outcomes == ["refused"] * 3 + ["won"]
    assert lease.bills.get(period_start=D(2026, 1, 1)).amount_paid == MONTH
    assert PaymentAllocation.objects.count() == 1


@pytest.mark.django_db
def test_arrears_are_aged_by_days_past_due(today):
    company = TenantCompanyFactory()
    monthly_lease(company=company, starts_on=D(2026, 6, 1), ends_on=D(2027, 5, 31))
    bills_issue_due(on=today)
    # Due 06-05 (172 days late), 07-05 (142), 08-05 (111), 09-05 (80), 10-05 (50), 11-05 (19), 12-05 (not yet).
    payment_record(
        company=company, amount=Decimal("25000"), received_on=today, method="bank_transfer", reference="P-1"
    )  # pays June, July and half of August
    [row] = arrears_by_company(on=today)
    assert row.company == company
    assert (row.days_0_30, row.days_31_60, row.days_61_90, row.days_over_90) == (
        MONTH,
        MONTH,
        MONTH,
        Decimal("5000.00"),
    )
    assert row.total == Decimal("35000.00")


@pytest.mark.django_db
def test_last_months_aging_reads_the_same_after_later_payments_and_voids(today, staff_client):
    company = TenantCompanyFactory()
    lease = monthly_lease(company=company, starts_on=D(2026, 6, 1), ends_on=D(2027, 5, 31))
    bills_issue_due(on=D(2026, 9, 20))  # June to October, due 06-05 … 10-05, issued on 09-20

    def buckets(on):
        [row] = arrears_by_company(on=on)
        return (row.days_0_30, row.days_31_60, row.days_61_90, row.days_over_90)

    # On 10-31: October 26 days late, September 56, August 87, July 118 and June 148.
    october_end = (MONTH, MONTH, MONTH, MONTH * 2)
    assert buckets(D(2026, 10, 31)) == october_end
    assert arrears_by_company(on=D(2026, 9, 19)) == []  # nothing was issued yet
    payment_record(company=company, amount=Decimal("25000"), received_on=today, method="cash", reference="LATE-1")
    bill_void(bill=lease.bills.get(period_start=D(2026, 10, 1)), reason="面积更正")
    assert buckets(D(2026, 10, 31)) == october_end  # paid and voided only afterwards
    # Today: June and July paid, half of August left (111 days late), September (80), October void.
    assert buckets(today) == (ZERO, ZERO, MONTH, Decimal("5000.00"))
    page = staff_client.get(reverse("admin:billing_bill_arrears"), {"on": "2026-10-31"}).content.decode()
    assert "50,000.00" in page and 'value="2026-10-31"' in page


@pytest.mark.django_db
def test_a_void_bill_is_billed_again_and_a_paid_one_cannot_be_voided(today):
    company = TenantCompanyFactory()
    lease = monthly_lease(company=company)
    bills_issue_due(on=D(2026, 2, 1))
    january, february = lease.bills.exclude(status="scheduled").order_by("due_on")
    bill_void(bill=february, reason="面积更正")
    assert lease.bills.filter(period_start=D(2026, 2, 1), status="scheduled").count() == 1
    payment_record(company=company, amount=Decimal("1"), received_on=today, method="cash", reference="C-1")
    with pytest.raises(ValidationError, match="payments applied"):
        bill_void(bill=january, reason="x")


@pytest.mark.django_db
def test_alerts_report_each_threshold_once_and_mark_overdue_bills(settings, django_capture_on_commit_callbacks):
    settings.OPERATIONS_EMAILS = ["ops@parkops.example"]
    lease = monthly_lease(starts_on=D(2025, 1, 1), ends_on=D(2027, 2, 28))
    bills_issue_due(on=D(2026, 11, 1))
    on = D(2026, 11, 24)  # 96 days before the end: within 180, not yet 90
    with django_capture_on_commit_callbacks(execute=True):
        found = alerts_send(on=on)
    assert [(lease.number, threshold) for lease, threshold, _ in found["expiring"]] == [("L-1", 180)]
    assert {bill.status for bill in found["overdue"]} == {"overdue"} and len(found["overdue"]) == 1
    assert "L-1" in mail.outbox[0].body and "ZD2026" in mail.outbox[0].body
    assert alerts_send(on=on + datetime.timedelta(days=1))["expiring"] == []
    assert [t for _, t, _ in alerts_send(on=D(2026, 12, 1))["expiring"]] == [90]
    assert set(LeaseAlert.objects.filter(lease=lease).values_list("threshold_days", flat=True)) == {180, 90}


@pytest.mark.django_db
def test_a_signed_lease_keeps_the_day_to_month_factor_it_was_signed_under(today, settings):
    def per_day_lease(number):
        lease = lease_create(
            number=number,
            tenant=TenantCompanyFactory(),
            units=[UnitFactory(leasable_area=Decimal("100"))],
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            rent_rate=Decimal("4"),
            rent_basis="per_day",
        )
        return lease_sign(lease=lease, signed_on=D(2026, 11, 1))

    def january(lease):
        return lease.bills.get(period_start=D(2027, 1, 1)).amount

    old = per_day_lease("D-365")
    assert (old.days_per_month, january(old)) == ("365/12", Decimal("12166.67"))  # 100 m² × 4 × 365/12
    settings.PARKOPS_DAYS_PER_MONTH = "30"
    lease_save(lease=old)  # any change of terms regenerates the unissued bills
    assert january(old) == Decimal("12166.67")
    new = per_day_lease("D-30")
    assert (new.days_per_month, january(new)) == ("30", Decimal("12000.00"))  # 100 m² × 4 × 30


@pytest.mark.django_db
def test_a_renewal_continues_at_the_rate_in_force_and_carries_the_recurring_escalation(today):
    old = lease_create(
        number="E-1",
        tenant=TenantCompanyFactory(),
        units=[UnitFactory(leasable_area=Decimal("100"))],
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        fee_rate=Decimal("20"),
    )
    old = lease_save(
        lease=old,
        escalations=[
            LeaseEscalation(every_months=12, kind="percent", value=Decimal("5")),
            LeaseEscalation(applies_to="fee", effective_on=D(2026, 1, 1), kind="new_rate", value=Decimal("22")),
        ],
    )
    old = lease_sign(lease=old, signed_on=D(2023, 12, 1))
    renewal = lease_renew(lease=old, number="E-1-R", ends_on=D(2029, 12, 31))
    # 100 → 105 (2025) → 110.25 (2026); the fee became 22 on 2026-01-01.
    assert (renewal.rent_rate, renewal.fee_rate) == (Decimal("110.25"), Decimal("22"))
    [carried] = renewal.escalations.all()
    assert (carried.every_months, carried.kind, carried.value, carried.effective_on) == (
        12,
        "percent",
        Decimal("5"),
        None,
    )
    bare = lease_renew(
        lease=lease_sign(
            lease=lease_create(
                number="E-2",
                tenant=TenantCompanyFactory(),
                units=[UnitFactory(leasable_area=Decimal("100"))],
                starts_on=D(2025, 1, 1),
                ends_on=D(2026, 12, 31),
                rent_rate=Decimal("90"),
                rent_basis="per_month",
            ),
            signed_on=D(2024, 12, 1),
        ),
        number="E-2-R",
        ends_on=D(2028, 12, 31),
        carry_escalations=False,
    )
    assert bare.rent_rate == Decimal("90") and not bare.escalations.exists()


def pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_every_payment_gets_a_gap_free_receipt_with_the_amount_in_capitals(
    today, api, client, world, tmp_path, django_user_model
):
    company = world["a"]["company"]
    first = payment_record(
        company=company, amount=Decimal("12345.67"), received_on=today, method="bank_transfer", reference="RC-1"
    )
    with pytest.raises(ValidationError):  # refused: takes no number
        payment_record(
            company=company, amount=Decimal("5"), received_on=today, method="bank_transfer", reference="RC-1"
        )
    second = payment_record(company=company, amount=Decimal("0.50"), received_on=today, method="cash", reference="RC-2")
    # Receipts for payments and for deposits share one sequence: the world's, then these two.
    numbers = sorted(
        [
            *Payment.objects.filter(receipt_number__startswith="SJ2026").values_list("receipt_number", flat=True),
            *DepositEntry.objects.filter(receipt_number__startswith="SJ2026").values_list("receipt_number", flat=True),
        ]
    )
    assert numbers == [f"SJ2026-{n:06d}" for n in range(1, len(numbers) + 1)]
    assert (first.receipt_number, second.receipt_number) == (numbers[-2], numbers[-1])

    client.force_login(world["a"]["user"])
    download = client.get(reverse("portal:receipt", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content, tmp_path)
    assert first.receipt_number in text and "人民币壹万贰仟叁佰肆拾伍元陆角柒分" in text and company.name in text
    assert client.get(reverse("portal:receipt", args=[world["b"]["payment"].pk])).status_code == 404
    assert first.receipt_number in client.get(reverse("portal:bills")).content.decode()
    api.force_authenticate(world["b"]["user"])
    assert api.get(reverse("api:payment-receipt", args=[first.pk])).status_code == 404
    assert api.get(reverse("api:payment-receipt", args=[world["b"]["payment"].pk]))["Content-Type"] == "application/pdf"
    staff = django_user_model.objects.create_superuser("cashier", password="x")
    client.force_login(staff)
    shown = client.get(reverse("admin:billing_payment_receipt", args=[second.pk]))
    assert shown["Content-Disposition"].startswith("inline") and "伍角整" in pdf_text(shown.content, tmp_path)


@pytest.mark.django_db
def test_a_statement_of_account_lists_every_movement_with_running_balances(today, client, django_user_model, tmp_path):
    from billing.selectors import statement_of_account

    company = TenantCompanyFactory()
    lease = monthly_lease(company=company, starts_on=D(2026, 6, 1), ends_on=D(2027, 5, 31))
    bills_issue_due(on=D(2026, 9, 20))  # June to October, 10,000 each, issued on 09-20
    payment = payment_record(
        company=company, amount=Decimal("25000"), received_on=today, method="bank_transfer", reference="ST-1"
    )  # pays June, July and half of August
    october = bill_void(bill=lease.bills.get(period_start=D(2026, 10, 1)), reason="面积更正")

    statement = statement_of_account(company=company, first=D(2026, 11, 1), last=D(2026, 11, 30))
    assert statement.opening == Decimal("50000.00")
    assert [(e.day, e.document, e.debit, e.credit, e.balance, e.tax) for e in statement.entries] == [
        (today, payment.receipt_number, ZERO, Decimal("25000.00"), Decimal("25000.00"), None),
        # the void takes back the bill's VAT: 10,000 at 9 % holds 10,000 − 9,174.31 = 825.69
        (today, october.number, ZERO, MONTH, Decimal("15000.00"), Decimal("825.69")),
    ]
    # Closing 15,000 = half of August (117 days late) + September (86 days late), as the aging says.
    assert statement.closing == statement.aging.total == Decimal("15000.00")
    assert (statement.aging.days_61_90, statement.aging.days_over_90) == (MONTH, Decimal("5000.00"))

    member = django_user_model.objects.create_user("finance-a", password="x")
    TenantMembership.objects.create(user=member, company=company, role="admin")
    client.force_login(member)
    url = reverse("portal:statement")
    pdf = client.get(url, {"from": "2026-11-01", "to": "2026-11-30"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = pdf_text(pdf.content, tmp_path)
    assert "对账单" in text and "50,000.00" in text and "人民币壹万伍仟元整" in text
    sheet = client.get(url, {"from": "2026-11-01", "to": "2026-11-30", "format": "csv"}).content.decode()
    assert sheet.splitlines()[-1].endswith("0,35000.00,,15000.00")  # closing: debits, credits, VAT, balance
    assert sheet.splitlines()[-2].endswith(",10000.00,825.69,15000.00")  # the void, with its VAT
    assert client.get(url, {"from": "2026-12-01", "to": "2026-11-01"}).status_code == 400
    assert client.get(url, {"from": "9999-01-01"}).status_code == 400
