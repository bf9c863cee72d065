"""Posting to the ledger: the one place entries and allocations are written, the books-closed guard,
document numbers, and a bill's figures rebuilt from its rows."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, BooksClosing, DocumentNumberSequence, LedgerEntry, Payment, PaymentAllocation
from core.money import fen

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
# 账单 bills, 收据 receipts, 红冲 credit notes, 调整 debit adjustments, 退款 refunds
BILL_PREFIX, RECEIPT_PREFIX, CREDIT_NOTE_PREFIX, DEBIT_NOTE_PREFIX, REFUND_PREFIX = "ZD", "SJ", "HC", "TZ", "TK"


def document_numbers_reserve(*, prefix: str, year: int, count: int) -> list[str]:
    """The next ``count`` numbers of a kind of document's gap-free sequence for ``year`` (its row
    locked until commit): ``ZD2026-000001`` for bills, ``SJ2026-000001`` for receipts and so on."""
    sequence, _created = DocumentNumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [f"{prefix}{year}-{number:06d}" for number in range(first, sequence.last + 1)]


def books_closed_through() -> datetime.date | None:
    return BooksClosing.objects.aggregate(day=Max("closed_through"))["day"]


def books_open_check(day: datetime.date) -> None:
    """Refuse to post on a day whose books are closed."""
    closed = books_closed_through()
    if closed and day <= closed:
        raise ValidationError(
            {
                "posted_on": _("The books are closed through %(day)s: post this on a later day.")
                % {"day": closed.isoformat()}
            }
        )


def entry_for(
    *, kind: str, amount: Decimal, company_id: int, resident_name: str = "", posted_on: datetime.date, **fields
) -> LedgerEntry:
    """An unsaved entry of ``kind`` for ``amount``, on the side its kind is posted on."""
    side = "debit" if kind in LedgerEntry.DEBIT_KINDS else "credit"
    return LedgerEntry(
        kind=kind, company_id=company_id, resident_name=resident_name, posted_on=posted_on, **{side: amount}, **fields
    )


def entry_post(**fields) -> LedgerEntry:
    entry = entry_for(**fields)
    books_open_check(entry.posted_on)
    entry.save()
    return entry


def allocation_post(*, payment: Payment, bill: Bill, amount: Decimal, on: datetime.date | None = None, reverses=None):
    """Apply ``amount`` of the payment to the bill (negative, with ``reverses``: take it back). It
    counts from the day both the money and the bill were there, or ``on`` when later."""
    posted_on = max(day for day in (payment.received_on, bill.issued_on, on) if day)
    books_open_check(posted_on)
    return PaymentAllocation.objects.create(
        payment=payment, bill=bill, amount=amount, posted_on=posted_on, reverses=reverses
    )


def bill_status(bill: Bill, *, today: datetime.date) -> str:
    if bill.status in (Bill.Status.SCHEDULED, Bill.Status.VOID):
        return bill.status
    if bill.amount_paid >= bill.amount_due:
        return Bill.Status.PAID
    if bill.due_on < today:
        return Bill.Status.OVERDUE
    return Bill.Status.PARTLY_PAID if bill.amount_paid else Bill.Status.ISSUED


def bill_refresh(bill: Bill) -> Bill:
    """Rebuild what the bill asks, what is paid and its status from its ledger rows."""
    bill.amount_due = fen(bill.ledger_entries.aggregate(total=Sum("debit") - Sum("credit"))["total"] or ZERO)
    bill.amount_paid = fen(bill.allocations.aggregate(total=Sum("amount"))["total"] or ZERO)
    bill.status = bill_status(bill, today=timezone.localdate())  # void stays void: bill_void is its only way in
    bill.save(update_fields=["amount_due", "amount_paid", "status"])
    return bill


def books_close_check(through: datetime.date) -> None:
    """The books close only forwards, and only through a day that is over."""
    closed = books_closed_through()
    if closed and through <= closed:
        raise ValidationError(
            {"closed_through": _("The books are closed through %(day)s already.") % {"day": closed.isoformat()}}
        )
    if through >= timezone.localdate():
        raise ValidationError({"closed_through": _("Only days that are over can be closed.")})


@transaction.atomic
def books_close(*, through: datetime.date, closed_by=None) -> BooksClosing:
    """Close the books through ``through`` (a month end, usually): nothing is posted on or before it
    afterwards, so what the ledger says of those days is final. The unique day is the last word
    should two clerks close at once."""
    books_close_check(through)
    closing = BooksClosing(closed_through=through, closed_by=closed_by)
    closing.full_clean()
    closing.save()
    return closing
