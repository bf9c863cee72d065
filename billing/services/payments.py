"""Writes to payments: recording money received, applying it to bills, reversing a bounced payment
and refunding a payer's credit."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, LedgerEntry, Payment
from core.db import constraints_as_conflicts
from core.errors import Conflict
from core.money import fen
from notifications.events import Event
from tenants.models import TenantCompany

from .ledger import (
    RECEIPT_PREFIX,
    REFUND_PREFIX,
    ZERO,
    allocation_post,
    bill_refresh,
    books_open_check,
    document_numbers_reserve,
    entry_post,
)
from .news import company_tell


def receipt_numbers_reserve(*, year: int, count: int) -> list[str]:
    return document_numbers_reserve(prefix=RECEIPT_PREFIX, year=year, count=count)


def _allocate(payment: Payment, bills: Iterable[Bill], available: Decimal, on: datetime.date | None) -> Decimal:
    for bill in bills:
        if available <= 0:
            break
        share = min(available, bill.amount_due - bill.amount_paid)
        if share <= 0:
            continue
        allocation_post(payment=payment, bill=bill, amount=share, on=on)
        bill_refresh(bill)
        available -= share
    return available


def _open_bills(company: TenantCompany, resident_name: str):
    """The payer's open bills, oldest first: the company's own, or those addressed to one resident."""
    return (
        Bill.objects.select_for_update()
        .open()
        .filter(company=company, resident_name=resident_name)
        .order_by("due_on", "pk")
    )


def payment_bill_check(*, company: TenantCompany, resident_name: str, bill: Bill) -> None:
    """A payment chosen for ``bill`` comes from the payer the bill is addressed to, and the bill is open."""
    if bill.company_id != company.pk:
        raise ValidationError({"bill": _("This bill is addressed to another company.")})
    if bill.resident_name != resident_name.strip():
        raise ValidationError({"bill": _("This bill is addressed to another payer of the company.")})
    if bill.status not in Bill.OPEN_STATUSES:
        raise ValidationError({"bill": _("Only an issued bill that is not fully paid can take a payment.")})


@transaction.atomic
def payment_record(
    *,
    company: TenantCompany,
    amount: Decimal,
    received_on: datetime.date,
    method: str,
    reference: str,
    note: str = "",
    recorded_by=None,
    bill: Bill | None = None,
    resident_name: str = "",
    from_deposit: bool = False,
) -> Payment:
    """Record money received from the company (or from one of its residents, ``resident_name``) and
    apply it: to ``bill`` when given, else to the payer's oldest open bills; what is left stays as
    the payer's credit. Method "deposit applied" is only for the deposit services (``from_deposit``).

    The company row is locked first, so two clerks posting the same payment at once are served
    one after the other and the second is refused by the reference check (the unique constraint
    on method and reference is the last word).
    """
    if (method == Payment.Method.DEPOSIT) != from_deposit:
        raise ValidationError(
            {"method": _("A deposit is applied to bills from the lease's deposit, not recorded here.")}
        )
    TenantCompany.objects.select_for_update().get(pk=company.pk)
    # Taking the receipt number locks the year's receipt sequence: payments are posted one after
    # the other, so a transfer posted twice at once (even for two companies) is found below, and a
    # refused payment, rolled back, leaves no gap in the numbers.
    [receipt_number] = receipt_numbers_reserve(year=timezone.localdate().year, count=1)
    reference = reference.strip()
    existing = Payment.objects.filter(method=method, reference=reference).first()
    if existing:
        raise Conflict(
            {
                "reference": _(
                    "This payment is already recorded: %(amount)s from %(company)s on %(date)s "
                    "(reference %(reference)s)."
                )
                % {
                    "amount": existing.amount,
                    "company": existing.company.display_name,
                    "date": existing.received_on.isoformat(),
                    "reference": existing.reference,
                }
            }
        )
    if bill is not None:
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        payment_bill_check(company=company, resident_name=resident_name, bill=bill)
    payment = Payment(
        company=company,
        resident_name=resident_name.strip(),
        amount=amount,
        received_on=received_on,
        method=method,
        reference=reference,
        note=note,
        recorded_by=recorded_by,
    )
    payment.full_clean()
    books_open_check(received_on)
    payment.receipt_number = receipt_number
    with constraints_as_conflicts():  # the database's word on the reference, should anything get past the lock
        payment.save()
    entry_post(
        kind=LedgerEntry.Kind.PAYMENT,
        amount=amount,
        company_id=company.pk,
        resident_name=payment.resident_name,
        posted_on=received_on,
        payment=payment,
        recorded_by=recorded_by,
    )
    targets = _open_bills(company, payment.resident_name)
    if bill is not None:
        targets = [bill, *targets.exclude(pk=bill.pk)]
    _allocate(payment, targets, amount, None)
    if not from_deposit:
        company_tell(
            company_id=company.pk,
            event=Event.PAYMENT_RECEIVED,
            context={"payment": payment},
            link=reverse("portal:account"),
            staff_link=reverse("admin:billing_payment_change", args=[payment.pk]),
        )
    return payment


@transaction.atomic
def credit_apply(*, company: TenantCompany, on: datetime.date | None = None) -> Decimal:
    """Apply each payer's unapplied payments (the company's, and each paying resident's) to that
    payer's open bills, oldest first; returns what is left in all."""
    TenantCompany.objects.select_for_update().get(pk=company.pk)
    bills: dict[str, list[Bill]] = {}
    left = ZERO
    payments = Payment.objects.filter(company=company).with_unapplied().filter(unapplied__gt=0)
    for payment in payments.order_by("received_on", "pk"):
        payer_bills = bills.setdefault(payment.resident_name, list(_open_bills(company, payment.resident_name)))
        left += _allocate(payment, payer_bills, fen(payment.unapplied), on)
    return left


def _touched_bills_refresh(bill_ids: Iterable[int]) -> None:
    for bill in Bill.objects.select_for_update().filter(pk__in=set(bill_ids)).order_by("pk"):
        bill_refresh(bill)


@transaction.atomic
def payment_reverse(*, payment: Payment, reason: str, on: datetime.date | None = None, recorded_by=None) -> LedgerEntry:
    """A payment that bounced (退票): what it paid on bills is taken back, they are open again, and the
    payer owes what was not refunded of it. The payer's other credit then pays what it can."""
    TenantCompany.objects.select_for_update().get(pk=payment.company_id)
    on = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if payment.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT_REVERSAL).exists():
        raise ValidationError({"payment": _("This payment is already reversed.")})
    refunded = (
        payment.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).aggregate(total=Sum("debit"))["total"] or ZERO
    )
    if refunded >= payment.amount:
        raise ValidationError({"payment": _("This payment was refunded in full: there is nothing to reverse.")})
    books_open_check(on)
    standing = payment.allocations.filter(amount__gt=0, reversed_by__isnull=True).select_related("bill", "payment")
    touched = []
    for allocation in standing:
        allocation_post(payment=payment, bill=allocation.bill, amount=-allocation.amount, on=on, reverses=allocation)
        touched.append(allocation.bill_id)
    _touched_bills_refresh(touched)
    entry = entry_post(
        kind=LedgerEntry.Kind.PAYMENT_REVERSAL,
        amount=payment.amount - refunded,
        company_id=payment.company_id,
        resident_name=payment.resident_name,
        posted_on=on,
        payment=payment,
        reason=reason.strip(),
        recorded_by=recorded_by,
    )
    credit_apply(company=payment.company, on=on)
    return entry


@transaction.atomic
def credit_refund(
    *,
    company: TenantCompany,
    amount: Decimal,
    reference: str,
    reason: str,
    resident_name: str = "",
    on: datetime.date | None = None,
    recorded_by=None,
) -> list[LedgerEntry]:
    """Pay back ``amount`` of the payer's credit (money received and applied to no bill), from its
    latest payments first; ``reference`` is the bank's transaction number of the refund."""
    TenantCompany.objects.select_for_update().get(pk=company.pk)
    on = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if not reference.strip():
        raise ValidationError({"reference": _("A refund needs the bank's transaction number.")})
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Refund a positive amount in yuan and fen.")})
    payments = list(
        Payment.objects.filter(company=company, resident_name=resident_name)
        .with_unapplied()
        .filter(unapplied__gt=0)
        .order_by("-received_on", "-pk")
    )
    for payment in payments:
        payment.unapplied = fen(payment.unapplied)  # exact on PostgreSQL; SQLite sums in floats
    credit = sum((payment.unapplied for payment in payments), ZERO)
    if amount > credit:
        raise ValidationError({"amount": _("The payer's credit is only %(credit)s.") % {"credit": credit}})
    books_open_check(on)
    [number] = document_numbers_reserve(prefix=REFUND_PREFIX, year=on.year, count=1)
    entries = []
    for payment in payments:
        if amount <= 0:
            break
        share = min(amount, payment.unapplied)
        entries.append(
            entry_post(
                kind=LedgerEntry.Kind.REFUND,
                amount=share,
                company_id=company.pk,
                resident_name=resident_name,
                posted_on=on,
                payment=payment,
                number=number,
                reason=f"{reason.strip()} ({reference.strip()})",
                recorded_by=recorded_by,
            )
        )
        amount -= share
    return entries
