"""Settling a lease that ended (结算): computed on its last day, confirmed by staff, then posted.

The statement credits what the issued bills charge for days after the end, by line, down to what
the lease's own schedule (cut to the shorter term, prorated by its convention) charges for those
periods; a bill wholly after the end that nothing was paid on is voided instead. Bills still
scheduled for periods within the term are issued. The deposit then pays what the tenant owes;
what is left of it, and any credit, is to refund; what it does not cover is to collect."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, BillLine
from billing.selectors import payer_balance
from billing.services import bill_credit, bill_issue, bill_void, deposit_apply, deposit_held, line_credited

from ..models import Lease, LeaseSettlement
from ..schedule import build_schedule
from ..selectors import lease_terms

ZERO = Decimal("0.00")
SETTLEABLE = (Lease.Status.TERMINATED, Lease.Status.EXPIRED, Lease.Status.RENEWED)


@dataclass
class SettlementCredit:
    bill: Bill
    lines: list[tuple[BillLine, Decimal]]
    void: bool

    @property
    def amount(self) -> Decimal:
        return sum((amount for _line, amount in self.lines), ZERO)


@dataclass
class SettlementStatement:
    lease: Lease
    last_day: datetime.date
    credits: list[SettlementCredit] = field(default_factory=list)
    to_issue: list[Bill] = field(default_factory=list)
    balance_before: Decimal = ZERO  # what the company owed (credit negative) before settling
    deposit_held: Decimal = ZERO

    @property
    def credited(self) -> Decimal:
        return sum((credit.amount for credit in self.credits), ZERO)

    @property
    def billed(self) -> Decimal:
        return sum((bill.amount for bill in self.to_issue), ZERO)

    @property
    def owed(self) -> Decimal:
        """What the company owes after the credits and the last bills, before the deposit."""
        return self.balance_before - self.credited + self.billed

    @property
    def deposit_applied(self) -> Decimal:
        return min(self.deposit_held, max(self.owed, ZERO))

    @property
    def deposit_to_refund(self) -> Decimal:
        return self.deposit_held - self.deposit_applied

    @property
    def credit_to_refund(self) -> Decimal:
        return max(-self.owed, ZERO)

    @property
    def to_collect(self) -> Decimal:
        return max(self.owed, ZERO) - self.deposit_applied


def lease_settlement(*, lease: Lease) -> SettlementStatement:
    """The settlement of an ended lease as it would post now (nothing is written)."""
    if lease.status not in SETTLEABLE and not (
        lease.status == Lease.Status.ACTIVE and lease.ends_on < timezone.localdate()
    ):
        raise ValidationError({"status": _("Only a lease that has ended can be settled.")})
    last_day = lease.last_day
    periods = {period.starts_on: period for period in build_schedule(lease_terms(lease=lease)).periods}
    statement = SettlementStatement(lease=lease, last_day=last_day)
    bills = Bill.objects.filter(lease=lease).prefetch_related("lines").order_by("period_start")
    for bill in bills:
        if bill.status == Bill.Status.SCHEDULED:
            if bill.period_start <= last_day:
                statement.to_issue.append(bill)
            continue
        if bill.status == Bill.Status.VOID or bill.period_end <= last_day:
            continue
        period = periods.get(bill.period_start)
        charged = {
            BillLine.Kind.RENT: period.rent if period else ZERO,
            BillLine.Kind.FEE: period.fee if period else ZERO,
        }
        lines = []
        for line in bill.lines.all():
            due = charged.get(line.kind, line.amount)
            over = line.amount - line_credited(line) - due
            if over > 0:
                lines.append((line, over))
        if lines:
            statement.credits.append(
                SettlementCredit(bill=bill, lines=lines, void=period is None and not bill.amount_paid)
            )
    statement.balance_before = payer_balance(company=lease.tenant)
    statement.deposit_held = deposit_held(lease_id=lease.pk)
    return statement


@transaction.atomic
def lease_settle(*, lease: Lease, recorded_by=None) -> LeaseSettlement:
    """Post the settlement of an ended lease: credit notes and voids for the days after the end, the
    last bills issued, the deposit applied to what the tenant owes. Once per lease."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if LeaseSettlement.objects.filter(lease=lease).exists():
        raise ValidationError({"lease": _("This lease is settled already.")})
    statement = lease_settlement(lease=lease)
    today = timezone.localdate()
    reason = _("Settlement of lease %(number)s ending %(day)s") % {
        "number": lease.number,
        "day": statement.last_day.isoformat(),
    }
    for credit in statement.credits:
        if credit.void:
            bill_void(bill=credit.bill, reason=reason, on=today, recorded_by=recorded_by)
        else:
            bill_credit(bill=credit.bill, credits=credit.lines, reason=reason, on=today, recorded_by=recorded_by)
    for bill in statement.to_issue:
        bill_issue(bill=bill, on=today)
    if statement.deposit_applied:
        deposit_apply(
            lease_id=lease.pk,
            company_id=lease.tenant_id,
            amount=statement.deposit_applied,
            reason=reason,
            on=today,
            recorded_by=recorded_by,
        )
    return LeaseSettlement.objects.create(
        lease=lease,
        last_day=statement.last_day,
        credited=statement.credited,
        billed=statement.billed,
        deposit_applied=statement.deposit_applied,
        deposit_to_refund=statement.deposit_to_refund,
        credit_to_refund=statement.credit_to_refund,
        to_collect=statement.to_collect,
        confirmed_by=recorded_by,
    )
