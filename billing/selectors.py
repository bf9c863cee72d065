"""Reads of bills and payments: scoped to a user, arrears aged, a company's credit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.money import fen, tax_split
from tenants.models import TenantCompany
from tenants.selectors import scope_to_company

from .models import (
    Bill,
    BillLine,
    DepositEntry,
    Fapiao,
    InvoicingProfile,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    ReminderSent,
)

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


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


def _as_of(model, on: datetime.date, expression):
    return Coalesce(
        Subquery(
            model.objects.filter(bill=OuterRef("pk"), posted_on__lte=on)
            .values("bill")
            .annotate(total=expression)
            .values("total"),
            output_field=MONEY_FIELD,
        ),
        ZERO,
    )


def bills_as_of(bills, *, on: datetime.date):
    """Annotate each bill's ``due_then`` (what it asked by the end of ``on``), ``paid_then`` and
    ``open_then``, from the ledger: the same answer for a past day whatever was posted since."""
    return bills.annotate(
        due_then=_as_of(LedgerEntry, on, Sum("debit") - Sum("credit")),
        paid_then=_as_of(PaymentAllocation, on, Sum("amount")),
    ).annotate(open_then=F("due_then") - F("paid_then"))


def arrears_by_company(*, on: datetime.date, bills=None) -> list[ArrearsRow]:
    """What each company owed on ``on`` on bills then past their due date, aged by days late.

    Reproducible for any past day: it sums the ledger's entries and allocations posted by ``on``, so
    a payment, credit note or voiding posted later leaves the figures of ``on`` as they were.
    ``bills`` narrows the bills counted (one payer's, say). One query.
    """

    def aged(low: int, high: int | None):
        since = Q(due_on__lte=on - datetime.timedelta(days=low))
        if high is not None:
            since &= Q(due_on__gte=on - datetime.timedelta(days=high))
        return Sum(Case(When(since, then=F("open_then")), default=ZERO, output_field=MONEY_FIELD))

    totals = (
        bills_as_of((Bill.objects.all() if bills is None else bills), on=on)
        .exclude(status=Bill.Status.SCHEDULED)
        .filter(issued_on__lte=on, due_on__lt=on)
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


def payer_balance(*, company: TenantCompany, resident_name: str = "", on: datetime.date | None = None) -> Decimal:
    """What the payer owes (positive) or holds as credit (negative) by the end of ``on``: the sum of
    its ledger entries."""
    entries = LedgerEntry.objects.of_payer(company=company, resident_name=resident_name)
    if on is not None:
        entries = entries.through(on)
    return fen(entries.aggregate(total=Sum("debit") - Sum("credit"))["total"] or ZERO)


def company_credit(*, company: TenantCompany, resident_name: str = "") -> Decimal:
    """Money received from the payer (the company, or one of its residents) applied to no bill,
    refunded or reversed."""
    payments = Payment.objects.filter(company=company, resident_name=resident_name).with_unapplied()
    return fen(payments.aggregate(total=Sum("unapplied"))["total"] or ZERO)


def lease_billed_value(*, lease_id: int) -> Decimal:
    """What the lease's issued bills ask, less credit notes and voided bills, late fees apart."""
    return fen(
        LedgerEntry.objects.filter(bill__lease_id=lease_id)
        .exclude(kind__in=[LedgerEntry.Kind.LATE_FEE, LedgerEntry.Kind.LATE_FEE_WAIVER])
        .aggregate(total=Sum("debit") - Sum("credit"))["total"]
        or ZERO
    )


def bill_entries(*, bill: Bill):
    return bill.ledger_entries.select_related("bill_line", "recorded_by").order_by("posted_on", "pk")


def _standing_allocations() -> Prefetch:
    """What a payment still pays on each bill: allocations not taken back."""
    return Prefetch(
        "allocations",
        queryset=PaymentAllocation.objects.filter(amount__gt=0, reversed_by__isnull=True).select_related(
            "bill", "payment"
        ),
    )


def payment_for_receipt(*, payment_id: int) -> Payment:
    return (
        Payment.objects.select_related("company", "recorded_by")
        .prefetch_related(_standing_allocations())
        .get(pk=payment_id)
    )


def deposit_entry_for_receipt(*, entry_id: int) -> DepositEntry:
    return DepositEntry.objects.select_related("company", "lease").get(pk=entry_id, kind=DepositEntry.Kind.RECEIVED)


def bill_for_pdf(*, bill_id: int) -> Bill:
    return (
        Bill.objects.select_related("company", "lease")
        .prefetch_related("lines", _standing_allocations())
        .get(pk=bill_id)
    )


def bill_list_for(*, user):
    """Staff see every bill; a tenant user its company's issued bills (never the scheduled ones)."""
    bills = Bill.objects.select_related("company", "lease").prefetch_related("lines", "fapiaos")
    if user.is_authenticated and user.is_staff:
        return bills
    return scope_to_company(bills, user=user, company_field="company").exclude(status=Bill.Status.SCHEDULED)


def fapiao_list_for(*, user):
    """Staff see every fapiao; a tenant user its company's."""
    return scope_to_company(
        Fapiao.objects.select_related("bill").prefetch_related("lines", "red_letters"),
        user=user,
        company_field="company",
    )


def reminder_sent_list_for(*, user):
    return scope_to_company(ReminderSent.objects.all(), user=user, company_field="company")


def ledger_entry_list_for(*, user):
    return scope_to_company(LedgerEntry.objects.all(), user=user, company_field="company")


def invoicing_profile_list_for(*, user):
    return scope_to_company(InvoicingProfile.objects.all(), user=user, company_field="company")


def deposit_entry_list_for(*, user):
    return scope_to_company(DepositEntry.objects.all(), user=user, company_field="company")


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
    tax: Decimal | None = None  # the VAT within a bill, a credit note or a void; none for the rest


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


TAXED_WHOLE = (LedgerEntry.Kind.BILL, LedgerEntry.Kind.BILL_VOID)


def _entry_tax(entry: LedgerEntry, bill_tax: dict[int, Decimal]) -> Decimal | None:
    if entry.kind == LedgerEntry.Kind.CREDIT_NOTE and entry.bill_line is not None:
        return tax_split(entry.credit, entry.bill_line.tax_rate)[1]
    if entry.kind == LedgerEntry.Kind.BILL or (
        entry.kind == LedgerEntry.Kind.BILL_VOID and entry.credit == entry.bill.amount
    ):
        return fen(bill_tax.get(entry.bill_id) or ZERO)
    return None


def statement_of_account(
    *, company: TenantCompany, first: datetime.date, last: datetime.date, resident_name: str = ""
) -> Statement:
    """Every entry of the payer's ledger from ``first`` to ``last`` (bills, credit notes and
    adjustments, late fees and waivers, payments, reversals and refunds) with the balance before,
    after each and at the end, with the VAT within each bill and correction, and the arrears aged as
    of ``last``. Five queries."""
    entries = LedgerEntry.objects.of_payer(company=company, resident_name=resident_name)
    opening = payer_balance(company=company, resident_name=resident_name, on=first - datetime.timedelta(days=1))
    lines, balance = [], opening
    period = list(
        entries.filter(posted_on__gte=first, posted_on__lte=last)
        .select_related("bill", "payment", "bill_line")
        .order_by("posted_on", "pk")
    )
    bill_tax = dict(
        BillLine.objects.filter(bill_id__in={entry.bill_id for entry in period if entry.kind in TAXED_WHOLE})
        .values("bill_id")
        .annotate(total=Sum("tax_amount"))
        .values_list("bill_id", "total")
    )
    for entry in period:
        balance += entry.debit - entry.credit
        lines.append(
            StatementEntry(
                entry.posted_on,
                _entry_document(entry),
                _entry_description(entry),
                entry.debit,
                entry.credit,
                balance,
                _entry_tax(entry, bill_tax),
            )
        )
    bills = Bill.objects.filter(company=company, resident_name=resident_name)
    aged = arrears_by_company(on=last, bills=bills)
    return Statement(
        company=company,
        resident_name=resident_name,
        first=first,
        last=last,
        opening=opening,
        entries=lines,
        aging=aged[0] if aged else None,
    )


def _entry_document(entry: LedgerEntry) -> str:
    if entry.number:
        return entry.number
    if entry.bill_id:
        return entry.bill.number or ""
    return entry.payment.receipt_number or ""


def _entry_description(entry: LedgerEntry) -> str:
    kind = entry.get_kind_display()
    if entry.kind == LedgerEntry.Kind.BILL:
        bill = entry.bill
        return _("bill %(period)s") % {"period": f"{bill.period_start:%Y-%m-%d}–{bill.period_end:%Y-%m-%d}"}
    if entry.kind == LedgerEntry.Kind.PAYMENT:
        return _("payment %(reference)s") % {"reference": entry.payment.reference}
    if entry.bill_id and entry.kind != LedgerEntry.Kind.BILL:
        kind = f"{kind} · {entry.bill.number}"
    return f"{kind}: {entry.reason}" if entry.reason else kind


@dataclass
class DepositPosition:
    lease_id: int
    lease_number: str
    required: Decimal
    held: Decimal
    entries: list


def deposits_by_lease(*, company: TenantCompany) -> list[DepositPosition]:
    """Each of the company's leases with a deposit: what it asks, what is held, every movement. Two queries."""
    entries = (
        DepositEntry.objects.filter(company=company).select_related("lease").order_by("lease_id", "posted_on", "pk")
    )
    positions: dict[int, DepositPosition] = {}
    for entry in entries:
        position = positions.setdefault(
            entry.lease_id,
            DepositPosition(entry.lease_id, entry.lease.number, entry.lease.deposit_amount, ZERO, []),
        )
        position.held += entry.signed_amount
        position.entries.append(entry)
    return list(positions.values())


@dataclass
class Position:
    company: int
    resident_name: str
    as_of: datetime.date
    balance: Decimal
    overdue_0_30: Decimal = ZERO
    overdue_31_60: Decimal = ZERO
    overdue_61_90: Decimal = ZERO
    overdue_over_90: Decimal = ZERO


def payer_position(*, company: TenantCompany, as_of: datetime.date, resident_name: str = "") -> Position:
    """The payer's balance and its overdue bills aged, by the end of ``as_of``. Three queries."""
    position = Position(
        company.pk, resident_name, as_of, payer_balance(company=company, resident_name=resident_name, on=as_of)
    )
    aged = arrears_by_company(on=as_of, bills=Bill.objects.filter(company=company, resident_name=resident_name))
    if aged:
        row = aged[0]
        position.overdue_0_30, position.overdue_31_60 = row.days_0_30, row.days_31_60
        position.overdue_61_90, position.overdue_over_90 = row.days_61_90, row.days_over_90
    return position
