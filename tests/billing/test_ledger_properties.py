"""Random sequences of what a finance team does to one tenant's account; after every step the
ledger still adds up, nothing is allocated twice, and no posted row has changed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apartments.models import ApartmentQuota, Bed, BedAllocation
from apartments.services import allocation_check_out, apartment_rent_schedule
from billing.models import Bill, LedgerEntry, Payment, PaymentAllocation
from billing.selectors import company_credit, lease_billed_value, payer_balance
from billing.services import (
    bill_credit,
    bill_debit,
    bill_issue,
    bill_void,
    credit_refund,
    deposit_held,
    deposit_receive,
    late_fees_accrue,
    payment_record,
    payment_reverse,
)
from core.money import fen
from leases.services import lease_renew, lease_settle, lease_sign, lease_terminate
from tests.factories import ApartmentRoomFactory, monthly_lease

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
OPERATIONS = [
    "issue",
    "pay",
    "pay_bill",
    "void",
    "credit",
    "debit",
    "reverse",
    "refund",
    "late_fees",
    "terminate",
    "renew",
    "apartment_rent",
    "check_out",
]


def _money(seed: int, top: Decimal) -> Decimal:
    """An amount from 0.01 to ``top`` picked by ``seed``."""
    return max(FEN, (top * Decimal(seed % 1000 + 1) / 1000).quantize(FEN))


def _pick(rows: list, seed: int):
    return rows[seed % len(rows)] if rows else None


def _step(operation: str, seed: int, *, lease, resident, day: datetime.date, counter: list[int]) -> None:
    company = lease.tenant
    issued = list(Bill.objects.filter(company=company).exclude(status__in=["scheduled", "void"]).order_by("pk"))
    if operation == "issue":
        bill = Bill.objects.filter(company=company, status="scheduled").order_by("period_start").first()
        if bill:
            bill_issue(bill=bill, on=max(day, bill.period_start - datetime.timedelta(days=30)))
    elif operation in ("pay", "pay_bill"):
        counter[0] += 1
        target = _pick([bill for bill in issued if bill.status in Bill.OPEN_STATUSES], seed)
        payment_record(
            company=company,
            amount=_money(seed, Decimal("15000.00")),
            received_on=day,
            method="bank_transfer",
            reference=f"P-{counter[0]}",
            bill=target if operation == "pay_bill" else None,
        )
    elif operation == "void":
        bill = _pick([bill for bill in issued if not bill.amount_paid], seed)
        if bill:
            bill_void(bill=bill, reason="开错", on=day)
    elif operation == "credit":
        bill = _pick(issued, seed)
        line = bill and _pick(list(bill.lines.all()), seed // 7)
        if line:
            bill_credit(bill=bill, credits=[(line, _money(seed, line.amount))], reason="减免", on=day)
    elif operation == "debit":
        bill = _pick(issued, seed)
        if bill:
            bill_debit(bill=bill, amount=_money(seed, Decimal("500.00")), reason="调整", on=day)
    elif operation == "reverse":
        payment = _pick(list(Payment.objects.filter(company=company).order_by("pk")), seed)
        if payment:
            payment_reverse(payment=payment, reason="退票", on=day)
    elif operation == "refund":
        credit = company_credit(company=company)
        if credit > 0:
            credit_refund(company=company, amount=_money(seed, credit), reference=f"R-{seed}", reason="退款", on=day)
    elif operation == "late_fees":
        late_fees_accrue(on=day)
    elif operation == "terminate" and lease.status == "active":
        lease = lease_terminate(lease=lease, on=max(day, lease.starts_on), reason="提前退租")
        lease_settle(lease=lease)
    elif operation == "renew" and lease.status == "active" and not hasattr(lease, "renewed_by"):
        renewal = lease_renew(lease=lease, number=f"{lease.number}-R", ends_on=datetime.date(2027, 12, 31))
        lease_sign(lease=renewal, signed_on=day)
    elif operation == "apartment_rent":
        apartment_rent_schedule(on=day)
    elif operation == "check_out":
        resident.refresh_from_db()
        if resident.status == "checked_in" and resident.check_in < day <= resident.planned_check_out:
            allocation_check_out(allocation=resident, on=day)


def _resident(company) -> BedAllocation:
    """A resident of the company's in a 1,600-a-month studio for 2026, checked in; the company pays."""
    room = ApartmentRoomFactory(monthly_rent=Decimal("1600"))
    ApartmentQuota.objects.create(company=company, beds=1)
    allocation = BedAllocation.objects.create(
        bed=Bed.objects.create(room=room, label="A"),
        company=company,
        name="住户",
        id_number="11010519491231002X",
        phone="13800001234",
        check_in=datetime.date(2026, 1, 1),
        planned_check_out=datetime.date(2026, 12, 31),
        occupied_until=datetime.date(2026, 12, 31),
        monthly_rent=Decimal("1600"),
        status="checked_in",
    )
    return allocation


def _posted() -> dict:
    entries = {
        ("entry", row[0]): row[1:]
        for row in LedgerEntry.objects.values_list("pk", "kind", "debit", "credit", "bill", "payment", "posted_on")
    }
    allocations = {
        ("allocation", row[0]): row[1:]
        for row in PaymentAllocation.objects.values_list("pk", "payment", "bill", "amount", "posted_on")
    }
    return {**entries, **allocations}


def _check(lease, before: dict) -> dict:
    company = lease.tenant
    after = _posted()
    assert all(after[key] == value for key, value in before.items()), "a posted row changed or vanished"
    open_total = ZERO
    for bill in Bill.objects.filter(company=company).exclude(status="scheduled"):  # leases' and apartments'.
        due = fen(bill.ledger_entries.aggregate(total=Sum("debit") - Sum("credit"))["total"] or ZERO)
        paid = fen(bill.allocations.aggregate(total=Sum("amount"))["total"] or ZERO)
        assert (bill.amount_due, bill.amount_paid) == (due, paid), f"{bill} caches {bill.amount_due}/{bill.amount_paid}"
        assert ZERO <= paid <= due
        open_total += due - paid
    unapplied = ZERO
    for payment in Payment.objects.filter(company=company).with_unapplied():
        assert fen(payment.unapplied) >= 0, f"{payment} is used beyond its amount"
        unapplied += fen(payment.unapplied)
    assert payer_balance(company=company) == open_total - unapplied
    # Deposits: every lease holds what its movements add up to, never less than nothing.
    for lease_id in {lease.pk, *lease.__class__.objects.filter(renews=lease).values_list("pk", flat=True)}:
        assert deposit_held(lease_id=lease_id) >= 0
    # The lease's contract value: its bills and debit adjustments less its credit notes and voids.
    bills_less_credits = sum(
        (
            entry.debit - entry.credit
            for entry in LedgerEntry.objects.filter(bill__lease=lease)
            if entry.kind in ("bill", "debit_note", "credit_note", "bill_void")
        ),
        ZERO,
    )
    assert lease_billed_value(lease_id=lease.pk) == bills_less_credits
    return after


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(min_value=0, max_value=10**6)), min_size=6, max_size=30
    )
)
def test_any_sequence_of_postings_keeps_the_ledger_whole(steps, today):
    with transaction.atomic():
        lease = monthly_lease(
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            late_fee_rate=Decimal("0.0005"),
            deposit_amount=Decimal("20000.00"),
        )
        deposit_receive(
            lease_id=lease.pk,
            company_id=lease.tenant_id,
            amount=Decimal("20000.00"),
            received_on=datetime.date(2025, 12, 1),
            reference="DEP",
            required=Decimal("20000.00"),
        )
        resident = _resident(lease.tenant)
        posted, counter = _posted(), [0]
        for index, (operation, seed) in enumerate(steps):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=10 * index)
            lease.refresh_from_db()
            try:
                with transaction.atomic():
                    _step(operation, seed, lease=lease, resident=resident, day=day, counter=counter)
            except ValidationError:
                pass  # refused: and nothing of it was written, as _check shows
            posted = _check(lease, posted)
        transaction.set_rollback(True)
