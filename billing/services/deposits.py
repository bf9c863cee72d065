"""Deposits (押金): received, applied to what the tenant owes, refunded, carried over to a renewal.

What a lease holds is the sum of its deposit entries; it is held once: carrying it over moves it."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Bill, DepositEntry, Payment
from core.money import fen
from tenants.models import TenantCompany

from .ledger import FEN, ZERO, books_open_check
from .payments import payment_record, receipt_numbers_reserve

SIGNED = Case(When(kind__in=DepositEntry.INFLOWS, then=F("amount")), default=-F("amount"))


def deposit_held(*, lease_id: int, on: datetime.date | None = None) -> Decimal:
    """What the lease's deposit holds, by the end of ``on`` when given."""
    entries = DepositEntry.objects.filter(lease_id=lease_id)
    if on is not None:
        entries = entries.filter(posted_on__lte=on)
    return fen(entries.aggregate(total=Sum(SIGNED))["total"] or ZERO)


def _begin(company_id: int, amount: Decimal) -> None:
    """Lock the company, so its deposit movements are posted one after the other, and check the amount."""
    TenantCompany.objects.select_for_update().get(pk=company_id)
    if amount <= 0 or amount != amount.quantize(FEN):
        raise ValidationError({"amount": _("Enter a positive amount in yuan and fen.")})


def _take_from(lease_id: int, amount: Decimal) -> None:
    held = deposit_held(lease_id=lease_id)
    if amount > held:
        raise ValidationError({"amount": _("The deposit holds only %(held)s.") % {"held": held}})


@transaction.atomic
def deposit_receive(
    *,
    lease_id: int,
    company_id: int,
    amount: Decimal,
    received_on: datetime.date,
    reference: str,
    required: Decimal,
    recorded_by=None,
) -> DepositEntry:
    """Deposit money received (partly or in full, never beyond ``required``); it gets a receipt number."""
    _begin(company_id, amount)
    if not reference.strip():
        raise ValidationError({"reference": _("Enter the bank's transaction number or the receipt number.")})
    held = deposit_held(lease_id=lease_id)
    if held + amount > required:
        raise ValidationError(
            {
                "amount": _("The lease asks a deposit of %(required)s and %(held)s is held already.")
                % {"required": required, "held": held}
            }
        )
    books_open_check(received_on)
    [receipt_number] = receipt_numbers_reserve(year=timezone.localdate().year, count=1)
    entry = DepositEntry(
        lease_id=lease_id,
        company_id=company_id,
        kind=DepositEntry.Kind.RECEIVED,
        amount=amount,
        posted_on=received_on,
        reference=reference.strip(),
        receipt_number=receipt_number,
        recorded_by=recorded_by,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def deposit_apply(
    *, lease_id: int, company_id: int, amount: Decimal, reason: str, on: datetime.date, recorded_by=None
) -> DepositEntry:
    """Apply ``amount`` of the deposit to what the company owes: it becomes a payment of the company
    (method "deposit applied") that pays its oldest open bills."""
    _begin(company_id, amount)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    _take_from(lease_id, amount)
    count = DepositEntry.objects.filter(lease_id=lease_id, kind=DepositEntry.Kind.APPLIED).count()
    payment = payment_record(
        company=TenantCompany.objects.get(pk=company_id),
        amount=amount,
        received_on=on,
        method=Payment.Method.DEPOSIT,
        reference=f"deposit-{lease_id}-{count + 1}",
        note=reason.strip(),
        recorded_by=recorded_by,
        from_deposit=True,
    )
    return DepositEntry.objects.create(
        lease_id=lease_id,
        company_id=company_id,
        kind=DepositEntry.Kind.APPLIED,
        amount=amount,
        posted_on=on,
        reason=reason.strip(),
        payment=payment,
        recorded_by=recorded_by,
    )


def overdue_owed(*, company_id: int, on: datetime.date) -> Decimal:
    """What the company (not its residents) owes on bills past their due date."""
    return (
        Bill.objects.open()
        .filter(company_id=company_id, resident_name="", due_on__lt=on)
        .aggregate(total=Sum(F("amount_due") - F("amount_paid")))["total"]
        or ZERO
    ).quantize(FEN)


def deposit_refund_check(*, company_id: int, on: datetime.date) -> None:
    """A deposit is not refunded while the tenant owes on bills past due: it is applied to them first."""
    owed = overdue_owed(company_id=company_id, on=on)
    if owed:
        company = TenantCompany.objects.get(pk=company_id)
        raise ValidationError(
            {
                "amount": _(
                    "%(company)s owes %(amount)s on bills past due: collect them or apply the deposit to them before "
                    "refunding it."
                )
                % {"company": company.display_name, "amount": f"{owed:,.2f}"}
            }
        )


@transaction.atomic
def deposit_refund(
    *,
    lease_id: int,
    company_id: int,
    amount: Decimal,
    reference: str,
    on: datetime.date,
    reason: str = "",
    recorded_by=None,
) -> DepositEntry:
    """Pay ``amount`` of the deposit back to the tenant (``reference``: the bank's transaction number)."""
    _begin(company_id, amount)
    if not reference.strip():
        raise ValidationError({"reference": _("A refund needs the bank's transaction number.")})
    _take_from(lease_id, amount)
    deposit_refund_check(company_id=company_id, on=on)
    books_open_check(on)
    return DepositEntry.objects.create(
        lease_id=lease_id,
        company_id=company_id,
        kind=DepositEntry.Kind.REFUNDED,
        amount=amount,
        posted_on=on,
        reference=reference.strip(),
        reason=reason.strip(),
        recorded_by=recorded_by,
    )


@transaction.atomic
def deposit_carry_over(
    *, from_lease_id: int, to_lease_id: int, company_id: int, on: datetime.date, recorded_by=None
) -> DepositEntry | None:
    """Move what the renewed lease holds to its renewal: held once, by the renewal, from ``on``."""
    TenantCompany.objects.select_for_update().get(pk=company_id)
    held = deposit_held(lease_id=from_lease_id)
    if held <= 0:
        return None
    books_open_check(on)
    out = DepositEntry.objects.create(
        lease_id=from_lease_id,
        company_id=company_id,
        kind=DepositEntry.Kind.CARRIED_OUT,
        amount=held,
        posted_on=on,
        recorded_by=recorded_by,
    )
    return DepositEntry.objects.create(
        lease_id=to_lease_id,
        company_id=company_id,
        kind=DepositEntry.Kind.CARRIED_IN,
        amount=held,
        posted_on=on,
        carried_from=out,
        recorded_by=recorded_by,
    )


def deposit_movement_post(
    *,
    lease: int,
    movement: str,
    amount: Decimal,
    on: datetime.date,
    reference: str = "",
    reason: str = "",
    recorded_by=None,
) -> DepositEntry:
    """One deposit movement as staff enter it (the API's and the admin's form): ``lease`` is its id."""
    lease_row = apps.get_model("leases", "Lease").objects.filter(pk=lease).values("tenant_id", "deposit_amount").first()
    if lease_row is None:
        raise ValidationError({"lease": _("No such lease.")})
    common = {"lease_id": lease, "company_id": lease_row["tenant_id"], "amount": amount, "recorded_by": recorded_by}
    if movement == DepositEntry.Kind.RECEIVED:
        return deposit_receive(**common, received_on=on, reference=reference, required=lease_row["deposit_amount"])
    if movement == DepositEntry.Kind.REFUNDED:
        return deposit_refund(**common, on=on, reference=reference, reason=reason)
    if movement == DepositEntry.Kind.APPLIED:
        return deposit_apply(**common, on=on, reason=reason)
    raise ValidationError({"movement": _("A deposit is received, refunded or applied.")})
