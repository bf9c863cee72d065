"""Writes to bills: scheduling, issuing, voiding, credit notes and debit adjustments.

This is the only code that creates or changes a bill. Other apps describe the bills they need as
``BillDraft``s and hear of voided bills through the ``bill_voided`` signal."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, BillLine, LedgerEntry, Payment
from billing.signals import bill_voided
from notifications.events import Event
from tenants.models import TenantCompany

from .fapiao import fapiao_credit_check, fapiao_credit_record, fapiao_void_check
from .ledger import (
    BILL_PREFIX,
    CREDIT_NOTE_PREFIX,
    DEBIT_NOTE_PREFIX,
    ZERO,
    allocation_post,
    bill_refresh,
    bill_status,
    books_open_check,
    document_numbers_reserve,
    entry_for,
    entry_post,
)
from .news import bills_tell
from .payments import credit_apply
from .tax import TaxRates

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
class LateFeeTerms:
    """What a late day costs, as the contract says: ``rate`` of the overdue amount a day after
    ``grace_days``, never more in all than ``cap_ratio`` times the amount billed."""

    rate: Decimal = Decimal("0")
    grace_days: int = 0
    cap_ratio: Decimal = Decimal("1")


@dataclass(frozen=True)
class BillDraft:
    """A bill as another app asks for it: its period, due date, lines and late-fee terms."""

    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    lines: tuple[LineDraft, ...]
    late_fees: LateFeeTerms = LateFeeTerms()

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
            late_fee_rate=draft.late_fees.rate,
            late_fee_grace_days=draft.late_fees.grace_days,
            late_fee_cap_ratio=draft.late_fees.cap_ratio,
            **addressed,
        )
        for draft in drafts
    )
    rates = TaxRates()
    lines = []
    for bill, draft in zip(bills, drafts, strict=True):
        for line in draft.lines:
            lines.append(
                BillLine(
                    bill=bill,
                    kind=line.kind,
                    description=line.description,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    amount=line.amount,
                    source=line.source,
                    **rates.line_fields(line.kind, line.amount, line.period_start),
                )
            )
    BillLine.objects.bulk_create(lines)
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


@transaction.atomic
def bill_unschedule(*, bill: Bill) -> None:
    """Drop a bill that is only scheduled (its asker will schedule what it still needs)."""
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status != Bill.Status.SCHEDULED:
        raise ValidationError({"status": _("Only a scheduled bill can be dropped: correct an issued one.")})
    bill.delete()


def _issue(bills: Sequence[Bill], on: datetime.date) -> None:
    """Number the scheduled ``bills`` (locked by the caller) and post each to its payer's ledger."""
    books_open_check(on)
    numbers = document_numbers_reserve(prefix=BILL_PREFIX, year=on.year, count=len(bills))
    for bill, number in zip(bills, numbers, strict=True):
        bill.number, bill.issued_on, bill.amount_due, bill.amount_paid = number, on, bill.amount, ZERO
        bill.status = Bill.Status.ISSUED
        bill.status = bill_status(bill, today=on)
    # No full_clean(): only number, date and figures change, the number comes from the locked
    # sequence, and the database's constraints check the rest (full_clean would query per constraint).
    Bill.objects.bulk_update(bills, ["number", "issued_on", "amount_due", "amount_paid", "status"])
    LedgerEntry.objects.bulk_create(
        entry_for(
            kind=LedgerEntry.Kind.BILL,
            amount=bill.amount,
            company_id=bill.company_id,
            resident_name=bill.resident_name,
            posted_on=on,
            bill=bill,
        )
        for bill in bills
        if bill.amount
    )
    bills_tell(Event.BILL_ISSUED, [(bill, {}) for bill in bills])


def _scheduled(queryset) -> list[Bill]:
    return list(queryset.select_for_update().filter(status=Bill.Status.SCHEDULED).order_by("due_on", "pk"))


@transaction.atomic
def bill_issue(*, bill: Bill, on: datetime.date) -> Bill:
    """Issue a scheduled bill: it gets its number, is never replaced again, and takes the payer's credit."""
    bills = _scheduled(Bill.objects.filter(pk=bill.pk))
    if not bills:
        raise ValidationError({"status": _("Only a scheduled bill can be issued.")})
    _issue(bills, on)
    credit_apply(company=bill.company, on=on)
    bill.refresh_from_db()
    return bill


@transaction.atomic
def bills_issue_due(*, on: datetime.date) -> int:
    """Issue the scheduled bills that fall due within ``PARKOPS_BILL_ISSUE_DAYS`` of ``on``."""
    horizon = on + datetime.timedelta(days=settings.PARKOPS_BILL_ISSUE_DAYS)
    due = _scheduled(Bill.objects.filter(due_on__lte=horizon))
    if due:
        _issue(due, on)
    # Only payers holding credit have anything to apply to the new bills.
    holding = Payment.objects.filter(company_id__in={bill.company_id for bill in due}).with_unapplied()
    for company in TenantCompany.objects.filter(pk__in=holding.filter(unapplied__gt=0).values("company_id")).order_by(
        "pk"
    ):
        credit_apply(company=company, on=on)
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


def _locked_open(bill: Bill) -> Bill:
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status in (Bill.Status.VOID, Bill.Status.SCHEDULED):
        raise ValidationError({"status": _("Only an issued bill that is not void can be corrected.")})
    return bill


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    return reason.strip()


@transaction.atomic
def bill_void(*, bill: Bill, reason: str, on: datetime.date | None = None, recorded_by=None) -> Bill:
    """Void an issued bill nothing was paid on: a credit for all it asks. Whoever scheduled it hears
    of it (``bill_voided``) and may bill the period again. A paid bill is corrected by a credit note."""
    bill = _locked_open(bill)
    if bill.amount_paid:
        raise ValidationError(
            {"status": _("A bill with payments applied cannot be voided: issue a credit note instead.")}
        )
    reason = _reason(reason)
    fapiao_void_check(bill=bill)
    if bill.amount_due:
        entry_post(
            kind=LedgerEntry.Kind.BILL_VOID,
            amount=bill.amount_due,
            company_id=bill.company_id,
            resident_name=bill.resident_name,
            posted_on=on or timezone.localdate(),
            bill=bill,
            reason=reason,
            recorded_by=recorded_by,
        )
    bill.status, bill.amount_due = Bill.Status.VOID, ZERO
    bill.save(update_fields=["status", "amount_due"])
    bill_voided.send(sender=Bill, bill=bill)
    return bill


def _release(bill: Bill, amount: Decimal, on: datetime.date) -> None:
    """Take ``amount`` of the payments applied to the bill back to their payers' credit, latest first."""
    for allocation in (
        bill.allocations.filter(amount__gt=0, reversed_by__isnull=True)
        .select_related("payment")
        .order_by("-posted_on", "-pk")
    ):
        if amount <= 0:
            break
        share = min(amount, allocation.amount)
        # An allocation is taken back whole, once; what of it stays applied is posted again.
        allocation_post(payment=allocation.payment, bill=bill, amount=-allocation.amount, on=on, reverses=allocation)
        if share < allocation.amount:
            allocation_post(payment=allocation.payment, bill=bill, amount=allocation.amount - share, on=on)
        amount -= share


def line_credited(line: BillLine) -> Decimal:
    return (
        LedgerEntry.objects.filter(bill_line=line, kind=LedgerEntry.Kind.CREDIT_NOTE).aggregate(total=Sum("credit"))[
            "total"
        ]
        or ZERO
    )


@transaction.atomic
def bill_credit(
    *,
    bill: Bill,
    credits: Sequence[tuple[BillLine, Decimal]],
    reason: str,
    on: datetime.date | None = None,
    recorded_by=None,
    red_letter_confirmation: str = "",
) -> list[LedgerEntry]:
    """A credit note (红冲) on an issued bill: for each line, an amount up to what the line billed and
    was not credited before. Money paid beyond what the bill then asks goes back to the payer's
    credit and pays its other open bills. A bill whose fapiao is issued needs the confirmation
    number of the red-letter fapiao (``red_letter_confirmation``), recorded with it."""
    bill = _locked_open(bill)
    fapiao = fapiao_credit_check(bill=bill, red_letter_confirmation=red_letter_confirmation)
    on = on or timezone.localdate()
    reason = _reason(reason)
    if not credits:
        raise ValidationError({"credits": _("Name at least one line and the amount to credit on it.")})
    for line, amount in credits:
        if line.bill_id != bill.pk:
            raise ValidationError({"credits": _("That line belongs to another bill.")})
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({"credits": _("Credit a positive amount in yuan and fen.")})
        left = line.amount - line_credited(line)
        if amount > left:
            raise ValidationError(
                {
                    "credits": _("At most %(left)s of the line %(line)s is left to credit.")
                    % {"left": left, "line": line}
                }
            )
    total = sum((amount for _line, amount in credits), ZERO)
    if total > bill.amount_due:
        raise ValidationError({"credits": _("The bill asks only %(due)s.") % {"due": bill.amount_due}})
    paid_beyond = bill.amount_paid - (bill.amount_due - total)
    if paid_beyond > 0:
        _release(bill, paid_beyond, on)
    books_open_check(on)
    [number] = document_numbers_reserve(prefix=CREDIT_NOTE_PREFIX, year=on.year, count=1)
    entries = LedgerEntry.objects.bulk_create(
        entry_for(
            kind=LedgerEntry.Kind.CREDIT_NOTE,
            amount=amount,
            company_id=bill.company_id,
            resident_name=bill.resident_name,
            posted_on=on,
            bill=bill,
            bill_line=line,
            number=number,
            reason=reason,
            recorded_by=recorded_by,
        )
        for line, amount in credits
    )
    if fapiao is not None:
        fapiao_credit_record(
            fapiao=fapiao,
            credits=credits,
            credit_note_number=number,
            red_letter_confirmation=red_letter_confirmation,
            recorded_by=recorded_by,
        )
    bill_refresh(bill)
    credit_apply(company=bill.company, on=on)
    return entries


@transaction.atomic
def bill_debit(
    *, bill: Bill, amount: Decimal, reason: str, on: datetime.date | None = None, recorded_by=None
) -> LedgerEntry:
    """A debit adjustment (调整): the bill asks ``amount`` more, and takes the payer's credit."""
    bill = _locked_open(bill)
    on = on or timezone.localdate()
    reason = _reason(reason)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Charge a positive amount in yuan and fen.")})
    books_open_check(on)
    [number] = document_numbers_reserve(prefix=DEBIT_NOTE_PREFIX, year=on.year, count=1)
    entry = entry_post(
        kind=LedgerEntry.Kind.DEBIT_NOTE,
        amount=amount,
        company_id=bill.company_id,
        resident_name=bill.resident_name,
        posted_on=on,
        bill=bill,
        number=number,
        reason=reason,
        recorded_by=recorded_by,
    )
    bill_refresh(bill)
    credit_apply(company=bill.company, on=on)
    return entry
