"""Reads of bills and payments: scoped to a user, arrears aged, a company's credit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import fen
from tenants.models import TenantCompany
from tenants.selectors import scope_to_company

from .models import Bill, Payment, PaymentAllocation

ZERO = Decimal("0.00")


@dataclass
class ArrearsRow:
    company: TenantCompany
    days_0_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal

    @property
    def total(self) -> Decimal:
        return self.days_0_30 + self.days_31_60 + self.days_61_90 + self.days_over_90


def arrears_by_company(*, on: datetime.date, bills=None) -> list[ArrearsRow]:
    """What each company owed on ``on`` on bills then past their due date, aged by days late.

    Reproducible for any past day: a bill counts when it was issued by ``on`` and not voided by
    then, less what had been applied to it by the end of that day; a payment applied later, or a
    voiding later, leaves the figures of ``on`` as they were. ``bills`` narrows the bills counted
    (one payer's, say). One query.
    """
    end_of_day = timezone.make_aware(datetime.datetime.combine(on + datetime.timedelta(days=1), datetime.time()))
    applied = (
        PaymentAllocation.objects.filter(bill=OuterRef("pk"), created_at__lt=end_of_day)
        .values("bill")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    owed = F("amount") - Coalesce(Subquery(applied, output_field=money), ZERO)

    def aged(low: int, high: int | None):
        since = Q(due_on__lte=on - datetime.timedelta(days=low))
        if high is not None:
            since &= Q(due_on__gte=on - datetime.timedelta(days=high))
        return Sum(Case(When(since, then=owed), default=ZERO, output_field=money))

    totals = (
        (Bill.objects.all() if bills is None else bills)
        .exclude(status=Bill.Status.SCHEDULED)
        .filter(issued_on__lte=on, due_on__lt=on)
        .filter(Q(voided_on__isnull=True) | Q(voided_on__gt=on))
        .values("company")
        .annotate(d30=aged(1, 30), d60=aged(31, 60), d90=aged(61, 90), over=aged(91, None))
        .order_by("company")
    )
    companies = TenantCompany.objects.in_bulk([row["company"] for row in totals])
    rows = [
        ArrearsRow(companies[row["company"]], *(fen(row[key]) for key in ("d30", "d60", "d90", "over")))
        for row in totals
    ]
    return sorted((row for row in rows if row.total), key=lambda row: row.total, reverse=True)


def company_credit(*, company: TenantCompany, resident_name: str = "") -> Decimal:
    """Money received from the payer (the company, or one of its residents) not yet applied to any bill."""
    payments = Payment.objects.filter(company=company, resident_name=resident_name)
    received = payments.aggregate(total=Sum("amount"))["total"] or ZERO
    applied = PaymentAllocation.objects.filter(payment__in=payments).aggregate(total=Sum("amount"))["total"]
    return received - (applied or ZERO)


def payment_for_receipt(*, payment_id: int) -> Payment:
    return (
        Payment.objects.select_related("company", "recorded_by")
        .prefetch_related("allocations__bill")
        .get(pk=payment_id)
    )


def bill_for_pdf(*, bill_id: int) -> Bill:
    return (
        Bill.objects.select_related("company", "lease")
        .prefetch_related("lines", "allocations__payment")
        .get(pk=bill_id)
    )


def bill_list_for(*, user):
    """Staff see every bill; a tenant user its company's issued bills (never the scheduled ones)."""
    bills = Bill.objects.select_related("company", "lease").prefetch_related("lines")
    if user.is_authenticated and user.is_staff:
        return bills
    return scope_to_company(bills, user=user, company_field="company").exclude(status=Bill.Status.SCHEDULED)


def payment_list_for(*, user):
    return scope_to_company(
        Payment.objects.select_related("company").prefetch_related("allocations"), user=user, company_field="company"
    )


@dataclass
class StatementEntry:
    day: datetime.date
    document: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal = ZERO


@dataclass
class Statement:
    """A payer's statement of account (对账单) for a period: positive balances are owed by the payer,
    negative ones are its credit."""

    company: TenantCompany
    resident_name: str
    first: datetime.date
    last: datetime.date
    opening: Decimal
    entries: list[StatementEntry]
    aging: ArrearsRow | None

    @property
    def closing(self) -> Decimal:
        return self.entries[-1].balance if self.entries else self.opening

    @property
    def debits(self) -> Decimal:
        return sum((entry.debit for entry in self.entries), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((entry.credit for entry in self.entries), ZERO)


def statement_of_account(
    *, company: TenantCompany, first: datetime.date, last: datetime.date, resident_name: str = ""
) -> Statement:
    """Every movement of the payer's account from ``first`` to ``last``: bills issued (debits),
    bills voided and payments received (credits), with the balance before, after each and at the
    end, and the arrears aged as of ``last``. Four queries."""
    bills = Bill.objects.filter(company=company, resident_name=resident_name).exclude(status=Bill.Status.SCHEDULED)
    payments = Payment.objects.filter(company=company, resident_name=resident_name)
    movements: list[StatementEntry] = []
    for bill in bills.filter(issued_on__lte=last).only(
        "number", "issued_on", "voided_on", "amount", "period_start", "period_end"
    ):
        period = f"{bill.period_start:%Y-%m-%d}–{bill.period_end:%Y-%m-%d}"
        movements.append(
            StatementEntry(bill.issued_on, bill.number, _("bill %(period)s") % {"period": period}, bill.amount, ZERO)
        )
        if bill.voided_on and bill.voided_on <= last:
            movements.append(StatementEntry(bill.voided_on, bill.number, _("bill voided"), ZERO, bill.amount))
    for payment in payments.filter(received_on__lte=last).only("receipt_number", "received_on", "amount", "reference"):
        movements.append(
            StatementEntry(
                payment.received_on,
                payment.receipt_number or "",
                _("payment %(reference)s") % {"reference": payment.reference},
                ZERO,
                payment.amount,
            )
        )
    movements.sort(key=lambda entry: (entry.day, entry.credit > 0, entry.document))
    opening = sum((e.debit - e.credit for e in movements if e.day < first), ZERO)
    entries, balance = [e for e in movements if e.day >= first], opening
    for entry in entries:
        balance += entry.debit - entry.credit
        entry.balance = balance
    aged = arrears_by_company(on=last, bills=bills)
    return Statement(
        company=company,
        resident_name=resident_name,
        first=first,
        last=last,
        opening=opening,
        entries=entries,
        aging=aged[0] if aged else None,
    )
