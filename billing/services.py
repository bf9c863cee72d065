"""Writes to bills and payments: scheduling, issuing, voiding, recording payments and applying credit.

This is the only code that creates or changes a bill. Other apps describe the bills they need as
``BillDraft``s and hear of voided bills through the ``bill_voided`` signal."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import constraints_as_conflicts
from core.errors import Conflict
from tenants.models import TenantCompany

from .models import Bill, BillLine, DocumentNumberSequence, Payment, PaymentAllocation
from .signals import bill_voided

ZERO = Decimal("0.00")
BILL_PREFIX, RECEIPT_PREFIX = "ZD", "SJ"  # 账单, 收据
# Bills that stand for their period: a schedule never replaces them.
STANDING_BILL_STATUSES = [Bill.Status.ISSUED, Bill.Status.PARTLY_PAID, Bill.Status.PAID, Bill.Status.OVERDUE]


@dataclass(frozen=True)
class LineDraft:
    kind: str
    amount: Decimal
    period_start: datetime.date
    period_end: datetime.date
    description: str = ""
    source: str = ""  # what the line is for, in the asking app's words: it can tell what it billed


@dataclass(frozen=True)
class BillDraft:
    """A bill as another app asks for it: its period, due date and lines."""

    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    lines: tuple[LineDraft, ...]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def _create(drafts: Sequence[BillDraft], **addressed) -> list[Bill]:
    bills = Bill.objects.bulk_create(
        Bill(
            period_start=draft.period_start,
            period_end=draft.period_end,
            due_on=draft.due_on,
            amount=draft.amount,
            **addressed,
        )
        for draft in drafts
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            kind=line.kind,
            description=line.description,
            period_start=line.period_start,
            period_end=line.period_end,
            amount=line.amount,
            source=line.source,
        )
        for bill, draft in zip(bills, drafts, strict=True)
        for line in draft.lines
    )
    return bills


@transaction.atomic
def lease_bills_schedule(*, lease_id: int, company_id: int, drafts: Sequence[BillDraft]) -> list[Bill]:
    """Replace the lease's scheduled (not yet issued) bills by ``drafts``; a period that already has a
    standing bill keeps it."""
    Bill.objects.filter(lease_id=lease_id, status=Bill.Status.SCHEDULED).delete()
    standing = set(
        Bill.objects.filter(lease_id=lease_id, status__in=STANDING_BILL_STATUSES).values_list("period_start", flat=True)
    )
    return _create(
        [draft for draft in drafts if draft.period_start not in standing], company_id=company_id, lease_id=lease_id
    )


@transaction.atomic
def bill_schedule(*, company_id: int, draft: BillDraft, resident_name: str = "") -> Bill:
    """A scheduled bill to a company, or to one of its residents, outside any lease (apartment rent)."""
    [bill] = _create([draft], company_id=company_id, resident_name=resident_name)
    return bill


def document_numbers_reserve(*, prefix: str, year: int, count: int) -> list[str]:
    """The next ``count`` numbers of a kind of document's gap-free sequence for ``year`` (its row
    locked until commit): ``ZD2026-000001`` for bills (账单), ``SJ2026-000001`` for receipts (收据)."""
    sequence, _created = DocumentNumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [f"{prefix}{year}-{number:06d}" for number in range(first, sequence.last + 1)]


def bill_numbers_reserve(*, year: int, count: int) -> list[str]:
    return document_numbers_reserve(prefix=BILL_PREFIX, year=year, count=count)


def receipt_numbers_reserve(*, year: int, count: int) -> list[str]:
    return document_numbers_reserve(prefix=RECEIPT_PREFIX, year=year, count=count)


def _issue(bill: Bill, on: datetime.date) -> Bill:
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status != Bill.Status.SCHEDULED:
        raise ValidationError({"status": _("Only a scheduled bill can be issued.")})
    [bill.number] = bill_numbers_reserve(year=on.year, count=1)
    bill.issued_on = on
    bill.status = Bill.Status.OVERDUE if bill.due_on < on else Bill.Status.ISSUED
    # No full_clean(): only number, date and status change, the number comes from the locked
    # sequence, and the database's constraints check the rest (full_clean would query per constraint).
    bill.save(update_fields=["number", "issued_on", "status"])
    return bill


@transaction.atomic
def bill_issue(*, bill: Bill, on: datetime.date) -> Bill:
    """Issue a scheduled bill: it gets its number, is never replaced again, and takes the company's credit."""
    bill = _issue(bill, on)
    credit_apply(company=bill.company)
    bill.refresh_from_db()
    return bill


@transaction.atomic
def bills_issue_due(*, on: datetime.date) -> int:
    """Issue the scheduled bills that fall due within ``PARKOPS_BILL_ISSUE_DAYS`` of ``on``."""
    horizon = on + datetime.timedelta(days=settings.PARKOPS_BILL_ISSUE_DAYS)
    due = list(Bill.objects.filter(status=Bill.Status.SCHEDULED, due_on__lte=horizon).order_by("due_on", "pk"))
    for bill in due:
        _issue(bill, on)
    for company in TenantCompany.objects.filter(pk__in={bill.company_id for bill in due}):
        credit_apply(company=company)
    return len(due)


@transaction.atomic
def bills_mark_overdue(*, on: datetime.date) -> list[Bill]:
    """Mark issued bills past their due date and not fully paid as overdue; returns them."""
    late = list(
        Bill.objects.select_for_update()
        .filter(status__in=[Bill.Status.ISSUED, Bill.Status.PARTLY_PAID], due_on__lt=on)
        .order_by("due_on", "pk")
    )
    Bill.objects.filter(pk__in=[bill.pk for bill in late]).update(status=Bill.Status.OVERDUE)
    for bill in late:
        bill.status = Bill.Status.OVERDUE
    return late


@transaction.atomic
def bill_void(*, bill: Bill, reason: str) -> Bill:
    """Void an unpaid bill; whoever scheduled it hears of it (``bill_voided``) and may bill the period again."""
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status in (Bill.Status.VOID, Bill.Status.SCHEDULED):
        raise ValidationError({"status": _("Only an issued bill can be voided.")})
    if bill.amount_paid:
        raise ValidationError({"status": _("A bill with payments applied cannot be voided.")})
    if not reason.strip():
        raise ValidationError({"void_reason": _("Say why the bill is void.")})
    bill.status, bill.void_reason, bill.voided_on = Bill.Status.VOID, reason.strip(), timezone.localdate()
    bill.save(update_fields=["status", "void_reason", "voided_on"])
    bill_voided.send(sender=Bill, bill=bill)
    return bill


def _settle(bill: Bill, amount: Decimal) -> None:
    bill.amount_paid += amount
    if bill.amount_paid == bill.amount:
        bill.status = Bill.Status.PAID
    elif bill.due_on < timezone.localdate():
        bill.status = Bill.Status.OVERDUE
    else:
        bill.status = Bill.Status.PARTLY_PAID
    bill.save(update_fields=["amount_paid", "status"])


def _allocate(payment: Payment, bills: Iterable[Bill], available: Decimal) -> Decimal:
    for bill in bills:
        if available <= 0:
            break
        share = min(available, bill.amount - bill.amount_paid)
        if share <= 0:
            continue
        PaymentAllocation.objects.create(payment=payment, bill=bill, amount=share)
        _settle(bill, share)
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
) -> Payment:
    """Record money received from the company (or from one of its residents, ``resident_name``) and
    apply it: to ``bill`` when given, else to the payer's oldest open bills; what is left stays as
    the payer's credit.

    The company row is locked first, so two clerks posting the same payment at once are served
    one after the other and the second is refused by the reference check (the unique constraint
    on method and reference is the last word).
    """
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
    payment.receipt_number = receipt_number
    with constraints_as_conflicts():  # the database's word on the reference, should anything get past the lock
        payment.save()
    targets = _open_bills(company, payment.resident_name)
    if bill is not None:
        targets = [bill, *targets.exclude(pk=bill.pk)]
    _allocate(payment, targets, amount)
    return payment


@transaction.atomic
def credit_apply(*, company: TenantCompany) -> Decimal:
    """Apply each payer's unapplied payments (the company's, and each paying resident's) to that
    payer's open bills, oldest first; returns what is left in all."""
    TenantCompany.objects.select_for_update().get(pk=company.pk)
    bills: dict[str, list[Bill]] = {}
    left = ZERO
    for payment in Payment.objects.filter(company=company).order_by("received_on", "pk"):
        applied = payment.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
        remainder = payment.amount - applied
        if remainder > 0:
            payer_bills = bills.setdefault(payment.resident_name, list(_open_bills(company, payment.resident_name)))
            left += _allocate(payment, payer_bills, remainder)
    return left
