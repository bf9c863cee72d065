"""Late fees (滞纳金): accrued daily on what a bill leaves unpaid past its due date and grace days.

Rules (the README repeats them for finance staff):

- A bill carries the late-fee terms of the contract that priced it: a daily rate, grace days and a
  cap. No fee is charged for the due date or the grace days after it.
- From the day after the grace days, each day costs the daily rate on what of the bill itself (not
  its fees) was still open at the end of that day, rounded half up to the fen for that day.
  Payments pay the bill before its fees.
- The fees of a bill never add up to more than the cap times what the bill asks without them.
- The daily job posts one entry per bill for the days since the last one, so running it twice on a
  day charges nothing more, and running it late charges each missed day as it was.
- Staff waive fees with a reason; a waived fee is a credit, the charge stays in the ledger.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, LedgerEntry, PaymentAllocation
from notifications.events import Event

from .ledger import FEN, ZERO, bill_refresh, books_open_check, entry_for, entry_post
from .news import bills_tell

DAY = datetime.timedelta(days=1)
FEE_KINDS = (LedgerEntry.Kind.LATE_FEE, LedgerEntry.Kind.LATE_FEE_WAIVER)


def _principal_by_day(bill_ids) -> dict[int, dict[datetime.date, Decimal]]:
    """Each bill's movements of what it asks, fees apart, by the day they count from."""
    rows = (
        LedgerEntry.objects.filter(bill_id__in=bill_ids)
        .exclude(kind__in=FEE_KINDS)
        .values("bill_id", "posted_on")
        .annotate(total=Sum("debit") - Sum("credit"))
    )
    days: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for row in rows:
        days[row["bill_id"]][row["posted_on"]] = row["total"]
    return days


def _paid_by_day(bill_ids) -> dict[int, dict[datetime.date, Decimal]]:
    rows = (
        PaymentAllocation.objects.filter(bill_id__in=bill_ids)
        .values("bill_id", "posted_on")
        .annotate(total=Sum("amount"))
    )
    days: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for row in rows:
        days[row["bill_id"]][row["posted_on"]] = row["total"]
    return days


def _running(movements: dict[datetime.date, Decimal], through: datetime.date) -> Decimal:
    return sum((amount for day, amount in movements.items() if day <= through), ZERO)


def late_fee_for(
    bill: Bill,
    *,
    first: datetime.date,
    last: datetime.date,
    principal: dict[datetime.date, Decimal],
    paid: dict[datetime.date, Decimal],
    charged: Decimal,
) -> Decimal:
    """The fee for the days ``first`` to ``last`` on the bill, within its cap after ``charged``."""
    fee, day = ZERO, first
    asked = _running(principal, first - DAY)
    settled = _running(paid, first - DAY)
    while day <= last:
        asked += principal.get(day, ZERO)
        settled += paid.get(day, ZERO)
        open_principal = max(asked - max(settled, ZERO), ZERO)
        fee += (open_principal * bill.late_fee_rate).quantize(FEN, rounding=ROUND_HALF_UP)
        day += DAY
    cap = (_running(principal, last) * bill.late_fee_cap_ratio).quantize(FEN, rounding=ROUND_HALF_UP)
    return max(min(fee, cap - charged), ZERO)


@transaction.atomic
def late_fees_accrue(*, on: datetime.date) -> list[LedgerEntry]:
    """Charge every bill with late-fee terms the fees of the days since its last charge, through
    ``on``. Idempotent: each bill is charged once per day at most. Returns the entries posted."""
    books_open_check(on)
    # Open bills, and bills paid after their due date (the days before they were paid may be
    # uncharged yet, when the job ran late).
    paid_late = PaymentAllocation.objects.filter(posted_on__gt=F("bill__due_on")).values("bill")
    candidates = (
        Bill.objects.select_for_update()
        .filter(late_fee_rate__gt=0, due_on__lt=on)
        .filter(Q(status__in=Bill.OPEN_STATUSES) | Q(status=Bill.Status.PAID, pk__in=paid_late))
        .annotate(
            fees_through=Subquery(
                LedgerEntry.objects.filter(bill=OuterRef("pk"), kind=LedgerEntry.Kind.LATE_FEE)
                .order_by("-accrued_through")
                .values("accrued_through")[:1]
            ),
            last_paid=Subquery(
                PaymentAllocation.objects.filter(bill=OuterRef("pk")).order_by("-posted_on").values("posted_on")[:1]
            ),
        )
    )
    bills = []
    for bill in candidates:
        start = bill.due_on + datetime.timedelta(days=bill.late_fee_grace_days)
        first = max(start, bill.fees_through or start) + DAY
        if first > on:
            continue
        # A bill paid before the days still to charge owes nothing for them.
        if bill.status == Bill.Status.PAID and (bill.last_paid is None or bill.last_paid < first):
            continue
        bills.append((bill, first))
    if not bills:
        return []
    ids = [bill.pk for bill, _first in bills]
    principal, paid = _principal_by_day(ids), _paid_by_day(ids)
    charged = dict(
        LedgerEntry.objects.filter(bill_id__in=ids, kind=LedgerEntry.Kind.LATE_FEE)
        .values("bill_id")
        .annotate(total=Sum("debit"))
        .values_list("bill_id", "total")
    )
    entries = []
    for bill, first in bills:
        fee = late_fee_for(
            bill,
            first=first,
            last=on,
            principal=principal[bill.pk],
            paid=paid[bill.pk],
            charged=charged.get(bill.pk, ZERO),
        )
        if fee > 0:
            entries.append(
                entry_for(
                    kind=LedgerEntry.Kind.LATE_FEE,
                    amount=fee,
                    company_id=bill.company_id,
                    resident_name=bill.resident_name,
                    posted_on=on,
                    bill=bill,
                    accrued_through=on,
                )
            )
    LedgerEntry.objects.bulk_create(entries)
    charged = {entry.bill_id: entry.debit for entry in entries}
    for bill, _first in bills:
        if bill.pk in charged:
            bill_refresh(bill)
    # The first late fee on a bill is news; the daily ones after it are not.
    first_fees = [(bill, {"amount": charged[bill.pk], "through": on}) for bill, _first in bills if bill.pk in charged]
    bills_tell(Event.LATE_FEE_CHARGED, [(bill, news) for bill, news in first_fees if bill.fees_through is None])
    return entries


def late_fees_open(bill: Bill) -> Decimal:
    """What of the bill's late fees is neither waived nor paid (payments pay the bill first)."""
    totals = bill.ledger_entries.aggregate(
        fees=Sum("debit", filter=Q(kind__in=FEE_KINDS)) - Sum("credit", filter=Q(kind__in=FEE_KINDS)),
    )
    fees = totals["fees"] or ZERO
    principal = bill.amount_due - fees
    fees_paid = max(bill.amount_paid - principal, ZERO)
    return fees - fees_paid


@transaction.atomic
def late_fee_waive(
    *, bill: Bill, amount: Decimal, reason: str, on: datetime.date | None = None, recorded_by=None
) -> LedgerEntry:
    """Waive (减免) ``amount`` of the bill's unpaid late fees, with a reason."""
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    on = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if amount <= 0 or amount != amount.quantize(FEN):
        raise ValidationError({"amount": _("Waive a positive amount in yuan and fen.")})
    waivable = late_fees_open(bill)
    if amount > waivable:
        raise ValidationError({"amount": _("Only %(open)s of this bill's late fees is unpaid.") % {"open": waivable}})
    entry = entry_post(
        kind=LedgerEntry.Kind.LATE_FEE_WAIVER,
        amount=amount,
        company_id=bill.company_id,
        resident_name=bill.resident_name,
        posted_on=on,
        bill=bill,
        reason=reason.strip(),
        recorded_by=recorded_by,
    )
    bill_refresh(bill)
    return entry
