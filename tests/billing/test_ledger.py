"""The receivables ledger: corrections as new entries, balances as of any day, late fees, deposits
and the settlement of an ended lease. Every figure is computed by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import Bill, DepositEntry, LedgerEntry, Payment, PaymentAllocation
from billing.selectors import arrears_by_company, company_credit, lease_billed_value, payer_balance
from billing.services import (
    bill_credit,
    bill_debit,
    bill_void,
    bills_issue_due,
    books_close,
    credit_refund,
    deposit_apply,
    deposit_held,
    deposit_receive,
    deposit_refund,
    late_fee_waive,
    late_fees_accrue,
    payment_record,
    payment_reverse,
)
from leases.models import Lease, LeaseSettlement
from leases.services import (
    lease_amend,
    lease_renew,
    lease_save,
    lease_settle,
    lease_settlement,
    lease_sign,
    lease_terminate,
)
from tests.conftest import requires_postgres
from tests.factories import MONTH, TenantCompanyFactory, monthly_lease

D = datetime.date
ZERO = Decimal("0.00")


def pay(company, amount, on, reference, **kwargs):
    return payment_record(
        company=company, amount=Decimal(amount), received_on=on, method="bank_transfer", reference=reference, **kwargs
    )


def rows():
    return (LedgerEntry.objects.count(), PaymentAllocation.objects.count(), DepositEntry.objects.count())


@pytest.mark.django_db
def test_a_credit_note_on_a_paid_bill_gives_the_money_back_as_credit_and_keeps_the_ledger_whole(today):
    lease = monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30))
    company = lease.tenant
    bills_issue_due(on=D(2026, 11, 1))  # October (due 10-05) and November (due 11-05), 10,000.00 each
    october, november = lease.bills.order_by("period_start")[:2]
    pay(company, "20000.00", today, "T-1")
    october.refresh_from_db()
    assert october.status == Bill.Status.PAID
    rent = october.lines.get(kind="rent")
    bill_credit(bill=october, credits=[(rent, Decimal("2500.00"))], reason="空调故障减免一周租金")
    october.refresh_from_db()
    # October asks 10,000 − 2,500 = 7,500 and was paid 10,000: 2,500 goes back, nothing else is open.
    assert (october.amount, october.amount_due, october.amount_paid) == (MONTH, Decimal("7500.00"), Decimal("7500.00"))
    assert october.status == Bill.Status.PAID
    assert company_credit(company=company) == Decimal("2500.00")
    # 20,000 billed, 2,500 credited, 20,000 paid: the company holds 2,500 of credit.
    assert payer_balance(company=company) == Decimal("-2500.00")
    assert lease_billed_value(lease_id=lease.pk) == Decimal("17500.00")
    credit_note = LedgerEntry.objects.get(kind="credit_note")
    assert credit_note.number.startswith("HC2026-") and credit_note.bill_line == rent
    # Only 7,500 of the rent line is left to credit.
    before = rows()
    with pytest.raises(ValidationError, match="7500.00"):
        bill_credit(bill=october, credits=[(rent, Decimal("7500.01"))], reason="再减")
    with pytest.raises(ValidationError, match="Say why"):
        bill_credit(bill=october, credits=[(rent, Decimal("1.00"))], reason=" ")
    assert rows() == before


@pytest.mark.django_db
def test_a_debit_adjustment_reopens_a_paid_bill_and_takes_the_payers_credit(today):
    lease = monthly_lease(starts_on=D(2026, 11, 1), ends_on=D(2027, 10, 31))
    bills_issue_due(on=D(2026, 11, 1))  # November only
    november = lease.bills.get(period_start=D(2026, 11, 1))
    pay(lease.tenant, "10300.00", today, "T-2")  # 300 more than November asks
    bill_debit(bill=november, amount=Decimal("800.00"), reason="超时空调费")
    november.refresh_from_db()
    # November asks 10,800; the 300 of credit is applied: 10,300 paid, 500 open.
    assert (november.amount_due, november.amount_paid, november.status) == (
        Decimal("10800.00"),
        Decimal("10300.00"),
        Bill.Status.OVERDUE,
    )
    assert payer_balance(company=lease.tenant) == Decimal("500.00")
    assert LedgerEntry.objects.get(kind="debit_note").number.startswith("TZ2026-")


@pytest.mark.django_db
def test_a_bill_with_payments_is_not_voided_and_a_void_one_is_a_credit_in_the_ledger(today):
    lease = monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30))
    bills_issue_due(on=D(2026, 11, 1))
    october, november = lease.bills.order_by("period_start")[:2]
    pay(lease.tenant, "100.00", today, "T-3", bill=october)
    with pytest.raises(ValidationError, match="credit note instead"):
        bill_void(bill=october, reason="开错")
    bill_void(bill=november, reason="开错了单价")
    void = LedgerEntry.objects.get(kind="bill_void")
    assert (void.bill, void.credit, void.reason) == (november, MONTH, "开错了单价")
    # October 10,000 − 100 paid; November billed and voided: 9,900 owed.
    assert payer_balance(company=lease.tenant) == Decimal("9900.00")
    # November is billed again by the lease's schedule, as a scheduled bill of its own.
    assert lease.bills.filter(period_start=D(2026, 11, 1), status=Bill.Status.SCHEDULED).count() == 1


@pytest.mark.django_db
def test_a_bounced_payment_reopens_its_bills_and_is_owed_again(today):
    lease = monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30))
    bills_issue_due(on=D(2026, 11, 1))
    payment = pay(lease.tenant, "15000.00", today, "T-4")
    october, november = lease.bills.order_by("period_start")[:2]
    november.refresh_from_db()
    assert november.amount_paid == Decimal("5000.00")
    payment_reverse(payment=payment, reason="对方账户冻结，退票")
    october.refresh_from_db(), november.refresh_from_db()
    assert october.amount_paid == ZERO and october.status == Bill.Status.OVERDUE
    assert november.amount_paid == ZERO and november.status == Bill.Status.OVERDUE
    assert payer_balance(company=lease.tenant) == Decimal("20000.00")
    # Two allocations and the two rows taking them back: their sum is nothing.
    assert sorted(payment.allocations.values_list("amount", flat=True)) == [
        Decimal("-10000.00"),
        Decimal("-5000.00"),
        Decimal("5000.00"),
        Decimal("10000.00"),
    ]
    with pytest.raises(ValidationError, match="already reversed"):
        payment_reverse(payment=payment, reason="again")


@pytest.mark.django_db
def test_only_the_payers_credit_is_refunded(today):
    company = TenantCompanyFactory()
    pay(company, "300.00", today, "T-5")
    pay(company, "200.00", today, "T-6")
    pay(company, "999.00", today, "T-7", resident_name="李雷")  # the resident's credit is not the company's
    before = rows()
    with pytest.raises(ValidationError, match="only 500.00"):
        credit_refund(company=company, amount=Decimal("500.01"), reference="TK-1", reason="退还预付款")
    assert rows() == before
    entries = credit_refund(company=company, amount=Decimal("350.00"), reference="TK-1", reason="退还预付款")
    # Latest payment first: all 200 of T-6, then 150 of T-5.
    assert [(entry.payment.reference, entry.debit) for entry in entries] == [
        ("T-6", Decimal("200.00")),
        ("T-5", Decimal("150.00")),
    ]
    assert company_credit(company=company) == Decimal("150.00")
    assert payer_balance(company=company) == Decimal("-150.00")
    assert company_credit(company=company, resident_name="李雷") == Decimal("999.00")


@pytest.mark.django_db
def test_balances_and_aging_of_a_closed_month_read_the_same_after_later_corrections(today):
    lease = monthly_lease(starts_on=D(2026, 9, 1), ends_on=D(2027, 8, 31))
    company = lease.tenant
    bills_issue_due(on=D(2026, 9, 1))  # September, due 09-05
    bills_issue_due(on=D(2026, 10, 1))  # October, due 10-05
    pay(company, "4000.00", D(2026, 10, 20), "T-8")
    # On 10-31: September 10,000 − 4,000 = 6,000 is 56 days late, October 10,000 is 26 days late.
    [row] = arrears_by_company(on=D(2026, 10, 31))
    assert (row.days_0_30, row.days_31_60) == (MONTH, Decimal("6000.00"))
    assert payer_balance(company=company, on=D(2026, 10, 31)) == Decimal("16000.00")
    books_close(through=D(2026, 10, 31))
    september = lease.bills.get(period_start=D(2026, 9, 1))
    before = rows()
    with pytest.raises(ValidationError, match="closed through 2026-10-31"):
        pay(company, "1.00", D(2026, 10, 30), "T-LATE")
    assert rows() == before
    pay(company, "6000.00", today, "T-9")
    bill_credit(bill=september, credits=[(september.lines.get(kind="rent"), Decimal("1000.00"))], reason="补偿")
    [row] = arrears_by_company(on=D(2026, 10, 31))
    assert (row.days_0_30, row.days_31_60) == (MONTH, Decimal("6000.00"))
    assert payer_balance(company=company, on=D(2026, 10, 31)) == Decimal("16000.00")


@pytest.mark.django_db
def test_the_database_refuses_to_change_a_posted_entry(today):
    lease = monthly_lease(starts_on=D(2026, 11, 1), ends_on=D(2027, 10, 31))
    bills_issue_due(on=D(2026, 11, 1))
    entry = LedgerEntry.objects.get(kind="bill")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(debit=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(company=lease.tenant, kind="payment", debit=Decimal("5.00"), posted_on=today)
    assert LedgerEntry.objects.get(pk=entry.pk).debit == MONTH


@requires_postgres
@pytest.mark.django_db
def test_on_postgresql_posted_rows_are_never_deleted_nor_allocated_beyond_their_bill(today):
    lease = monthly_lease(starts_on=D(2026, 11, 1), ends_on=D(2027, 10, 31))
    bills_issue_due(on=D(2026, 11, 1))
    bill = lease.bills.get(period_start=D(2026, 11, 1))
    payment = pay(lease.tenant, "12000.00", today, "T-10")
    with pytest.raises(IntegrityError, match="never changed or deleted"), transaction.atomic():
        LedgerEntry.objects.filter(bill=bill).delete()
    with pytest.raises(IntegrityError, match="keeps its amount"), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError, match="never changed or deleted"), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))
    # The bill asks 10,000 and has it; one fen more is refused, service or not.
    with pytest.raises(IntegrityError, match="would be paid"), transaction.atomic():
        PaymentAllocation.objects.create(payment=payment, bill=bill, amount=Decimal("0.01"), posted_on=today)
    # The payment brought 12,000: 10,000 applied, a refund of 2,000.01 would use more than it brought.
    with pytest.raises(IntegrityError, match="would be used"), transaction.atomic():
        LedgerEntry.objects.create(
            company=lease.tenant, kind="refund", debit=Decimal("2000.01"), posted_on=today, payment=payment, reason="x"
        )


@pytest.mark.django_db
def test_late_fees_accrue_once_a_day_on_what_is_left_unpaid_and_can_be_waived(today):
    # 0.05 % a day after 5 grace days: on 10,000 that is 5.00 a day; on 6,000, 3.00.
    lease = monthly_lease(
        starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30), late_fee_rate=Decimal("0.0005"), late_fee_grace_days=5
    )
    bills_issue_due(on=D(2026, 10, 1))
    october = lease.bills.get(period_start=D(2026, 10, 1))  # due 10-05: fees from 10-11
    assert late_fees_accrue(on=D(2026, 10, 10)) == []
    assert len(late_fees_accrue(on=D(2026, 10, 20))) == 1  # 10-11 … 10-20: 10 days × 5.00
    assert late_fees_accrue(on=D(2026, 10, 20)) == []  # a second run that day charges nothing
    pay(lease.tenant, "4000.00", D(2026, 10, 25), "T-11", bill=october)
    # Run late, on 10-31: 10-21 … 10-24 at 5.00 (4 days) and 10-25 … 10-31 at 3.00 (7 days) = 41.00.
    late_fees_accrue(on=D(2026, 10, 31))
    fees = list(october.ledger_entries.filter(kind="late_fee").values_list("accrued_through", "debit"))
    assert fees == [(D(2026, 10, 20), Decimal("50.00")), (D(2026, 10, 31), Decimal("41.00"))]
    october.refresh_from_db()
    assert october.amount_due == Decimal("10091.00") and october.outstanding_amount == Decimal("6091.00")
    before = rows()
    with pytest.raises(ValidationError, match="Only 91.00"):
        late_fee_waive(bill=october, amount=Decimal("91.01"), reason="首次逾期")
    assert rows() == before
    late_fee_waive(bill=october, amount=Decimal("41.00"), reason="首次逾期，减免部分")
    october.refresh_from_db()
    assert october.amount_due == Decimal("10050.00")
    # Paid in full: the fees stop.
    pay(lease.tenant, "6050.00", D(2026, 11, 2), "T-12", bill=october)
    late_fees_accrue(on=D(2026, 11, 10))
    # 11-01 at 3.00 (6,000 still open at the end of that day); from 11-02 nothing is open.
    assert october.ledger_entries.filter(kind="late_fee").last().debit == Decimal("3.00")


@pytest.mark.django_db
def test_late_fees_stop_at_their_cap(today):
    lease = monthly_lease(
        starts_on=D(2026, 10, 1),
        ends_on=D(2027, 9, 30),
        late_fee_rate=Decimal("0.01"),
        late_fee_cap_ratio=Decimal("0.05"),
    )
    bills_issue_due(on=D(2026, 10, 1))
    # 1 % a day on 10,000 is 100.00 a day; the cap is 5 % of 10,000 = 500.00, reached after 5 days.
    late_fees_accrue(on=D(2026, 10, 8))  # 10-06 … 10-08: 300.00
    late_fees_accrue(on=D(2026, 10, 31))  # 23 more days would be 2,300.00: only 200.00 fits
    october = lease.bills.get(period_start=D(2026, 10, 1))
    assert list(october.ledger_entries.filter(kind="late_fee").values_list("debit", flat=True)) == [
        Decimal("300.00"),
        Decimal("200.00"),
    ]


@pytest.mark.django_db
def test_a_deposit_is_received_held_applied_and_refunded_never_beyond_what_is_held(today):
    lease = monthly_lease(starts_on=D(2026, 1, 1), ends_on=D(2026, 10, 31), deposit_amount=MONTH * 2)
    company = lease.tenant
    common = {"lease_id": lease.pk, "company_id": company.pk}
    first = deposit_receive(
        **common, amount=MONTH, received_on=D(2025, 12, 1), reference="DEP-1", required=lease.deposit_amount
    )
    assert first.receipt_number.startswith("SJ2026-")
    with pytest.raises(ValidationError, match="asks a deposit of 20000.00 and 10000.00 is held"):
        deposit_receive(
            **common, amount=MONTH + 1, received_on=D(2025, 12, 2), reference="DEP-2", required=lease.deposit_amount
        )
    deposit_receive(
        **common, amount=MONTH, received_on=D(2025, 12, 2), reference="DEP-2", required=lease.deposit_amount
    )
    assert deposit_held(lease_id=lease.pk) == MONTH * 2
    bills_issue_due(on=today)  # January to October: 100,000, all past due
    pay(company, "95000.00", today, "T-13")
    before = rows()
    with pytest.raises(ValidationError, match="owes 5,000.00 on bills past due"):
        deposit_refund(**common, amount=MONTH * 2, reference="REF-1", on=today)
    assert rows() == before
    with pytest.raises(ValidationError, match="applied to bills from the lease's deposit"):
        payment_record(company=company, amount=MONTH, received_on=today, method="deposit", reference="D-X")
    # 5,000 of the deposit pays what is left of October; 15,000 is refunded.
    deposit_apply(**common, amount=Decimal("5000.00"), reason="抵扣10月租金", on=today)
    assert payer_balance(company=company) == ZERO
    assert Payment.objects.get(method="deposit").amount == Decimal("5000.00")
    with pytest.raises(ValidationError, match="holds only 15000.00"):
        deposit_refund(**common, amount=MONTH * 2, reference="REF-1", on=today)
    deposit_refund(**common, amount=Decimal("15000.00"), reference="REF-1", on=today)
    assert deposit_held(lease_id=lease.pk) == ZERO
    assert deposit_held(lease_id=lease.pk, on=D(2025, 12, 1)) == MONTH


@pytest.mark.django_db
def test_a_renewal_takes_the_deposit_over_so_it_is_held_once(today):
    lease = monthly_lease(starts_on=D(2025, 12, 1), ends_on=D(2026, 11, 30), deposit_amount=MONTH * 2)
    deposit_receive(
        lease_id=lease.pk,
        company_id=lease.tenant_id,
        amount=MONTH * 2,
        received_on=D(2025, 11, 1),
        reference="DEP-3",
        required=lease.deposit_amount,
    )
    renewal = lease_renew(lease=lease, number="L-1-R", ends_on=D(2027, 11, 30))
    assert deposit_held(lease_id=renewal.pk) == ZERO  # a draft holds nothing yet
    lease_sign(lease=renewal, signed_on=today)
    assert (deposit_held(lease_id=lease.pk), deposit_held(lease_id=renewal.pk)) == (ZERO, MONTH * 2)
    carried_in = DepositEntry.objects.get(lease=renewal)
    assert carried_in.kind == "carried_in" and carried_in.carried_from.lease == lease


@pytest.mark.django_db
def test_an_early_termination_is_settled_days_after_the_end_credited_and_the_deposit_applied(today):
    # A quarterly lease, 10,000 a month; Q4 (Oct–Dec, 30,000) billed and paid; it ends on 11-15.
    lease = monthly_lease(
        starts_on=D(2026, 1, 1), ends_on=D(2027, 12, 31), payment_cycle="quarterly", deposit_amount=MONTH * 2
    )
    company = lease.tenant
    deposit_receive(
        lease_id=lease.pk,
        company_id=company.pk,
        amount=MONTH * 2,
        received_on=D(2025, 12, 1),
        reference="DEP-4",
        required=lease.deposit_amount,
    )
    bills_issue_due(on=today)  # Q1 … Q4 2026: 4 × 30,000
    pay(company, "100000.00", today, "T-14")  # 20,000 of Q4 left unpaid
    lease = lease_terminate(lease=lease, on=D(2026, 11, 15), reason="公司迁址")
    statement = lease_settlement(lease=lease)
    # Q4 should charge October 10,000 + 15 of November's 30 days × 10,000 = 15,000: 15,000 credited.
    [credit] = statement.credits
    assert credit.amount == Decimal("15000.00") and not credit.void
    # Owed 20,000 before; less 15,000 credited: 5,000, paid from the 20,000 deposit; 15,000 to refund.
    assert (statement.balance_before, statement.owed) == (Decimal("20000.00"), Decimal("5000.00"))
    assert (statement.deposit_applied, statement.deposit_to_refund, statement.to_collect) == (
        Decimal("5000.00"),
        Decimal("15000.00"),
        ZERO,
    )
    settlement = lease_settle(lease=lease)
    assert payer_balance(company=company) == ZERO
    assert deposit_held(lease_id=lease.pk) == Decimal("15000.00")
    assert settlement.deposit_to_refund == Decimal("15000.00")
    q4 = lease.bills.get(period_start=D(2026, 10, 1))
    assert (q4.amount, q4.amount_due, q4.status) == (Decimal("30000.00"), Decimal("15000.00"), Bill.Status.PAID)
    # The lease is billed what its cut term charges: 9 months + 15 days = 105,000.
    assert lease_billed_value(lease_id=lease.pk) == Decimal("105000.00")
    with pytest.raises(ValidationError, match="settled already"):
        lease_settle(lease=lease)
    assert LeaseSettlement.objects.count() == 1


@pytest.mark.django_db
def test_a_lease_still_running_cannot_be_settled(today):
    lease = monthly_lease(starts_on=D(2026, 1, 1), ends_on=D(2027, 12, 31))
    with pytest.raises(ValidationError, match="has ended"):
        lease_settlement(lease=lease)


@pytest.mark.django_db
def test_the_month_end_run_issues_marks_charges_and_ages_and_a_second_run_adds_nothing(today):
    from io import StringIO

    from django.core.management import call_command

    monthly_lease(starts_on=D(2026, 10, 1), ends_on=D(2027, 9, 30), late_fee_rate=Decimal("0.0005"))
    out = StringIO()
    call_command("month_end", on="2026-09-30", stdout=out)  # October, due 10-05, is issued
    assert out.getvalue().strip() == (
        "2026-09-30: 1 bills issued, 0 marked overdue, 0 late fee entries (0.00), 0 companies in arrears owing 0"
    )
    out = StringIO()
    call_command("month_end", on="2026-10-31", stdout=out)
    # November (due 11-05, within 15 days) issued; October marked overdue, and charged for 10-06 …
    # 10-31: 26 days × 0.05 % × 10,000 = 130.00; it is owed with its fees: 10,130.00.
    assert out.getvalue().strip() == (
        "2026-10-31: 1 bills issued, 1 marked overdue, 1 late fee entries (130.00), "
        "1 companies in arrears owing 10130.00"
    )
    out = StringIO()
    call_command("month_end", on="2026-10-31", stdout=out)
    assert out.getvalue().startswith("2026-10-31: 0 bills issued, 0 marked overdue, 0 late fee entries")
    assert LedgerEntry.objects.filter(kind="late_fee").count() == 1


@pytest.mark.django_db
def test_an_amendment_reprices_unissued_bills_from_its_day_and_is_kept_with_who_and_why(today, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    lease = monthly_lease(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    bills_issue_due(on=D(2026, 6, 1))  # January … June issued at 10,000
    amended = lease_amend(
        lease=lease, effective_on=D(2026, 6, 16), rent_rate=Decimal("120"), reason="扩租谈判后调价", changed_by=clerk
    )
    amounts = dict(amended.bills.exclude(status="void").values_list("period_start", "amount"))
    # June was issued before the change and stays 10,000; July on: 100 m² × 120 = 12,000.
    assert amounts[D(2026, 6, 1)] == MONTH and amounts[D(2026, 7, 1)] == Decimal("12000.00")
    [amendment] = amended.amendments.all()
    assert (amendment.effective_on, amendment.made_by, amendment.reason) == (D(2026, 6, 16), clerk, "扩租谈判后调价")
    assert amendment.changes["escalations"][0] == ""
    assert "120" in amendment.changes["escalations"][1] and "2026-06-16" in amendment.changes["escalations"][1]
    # A signed lease's terms change only with a reason; nothing is written otherwise.
    amended.fee_rate = Decimal("20")
    with pytest.raises(ValidationError, match="Say why the terms of the signed lease change"):
        lease_save(lease=amended)
    assert Lease.objects.get(pk=lease.pk).fee_rate == ZERO and amended.amendments.count() == 1
    lease_save(lease=amended, reason="物业费调整", changed_by=clerk)
    assert amended.amendments.last().changes == {"fee_rate": ["0.00", "20.00"]}


@pytest.mark.django_db
def test_an_amendment_of_the_leased_area_charges_the_new_area_from_its_day(today):
    lease = monthly_lease(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    bills_issue_due(on=D(2026, 6, 1))  # January … June issued at 10,000
    lease_amend(lease=lease, effective_on=D(2026, 7, 16), area=Decimal("150"), reason="扩租 50 m²")
    amounts = dict(lease.bills.values_list("period_start", "amount"))
    # July: 15 days at 100 m² and 16 at 150 m², of 31, at 100 a m²: (1,500 + 2,400) / 31 × 100 = 12,580.65.
    assert amounts[D(2026, 6, 1)] == MONTH and amounts[D(2026, 7, 1)] == Decimal("12580.65")
    assert amounts[D(2026, 8, 1)] == Decimal("15000.00")
    assert lease.amendments.get().changes["area_changes"] == ["", "150.00 m² 2026-07-16"]
