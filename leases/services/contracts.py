"""Writes to leases: terms, signing, termination, renewal, the daily status roll and the schedule."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import BillLine
from billing.services import BillDraft, LateFeeTerms, LineDraft, deposit_carry_over, lease_bills_schedule
from core.errors import Conflict
from spaces.models import Unit
from spaces.plan_cache import stacking_plans_changed
from tenants.models import TenantCompany

from ..models import Lease, LeaseAmendment, LeaseAreaChange, LeaseEscalation, LeaseFreePeriod, LeaseUnit, Prospect
from ..models.contracts import current_days_per_month
from ..schedule import build_schedule, rate_on, rate_steps
from ..selectors import lease_terms, lease_unit_conflicts


def _status_on(lease: Lease, on: datetime.date) -> str:
    if lease.starts_on > on:
        return Lease.Status.SIGNED
    if lease.ends_on < on:
        return Lease.Status.RENEWED if _renewal_signed(lease) else Lease.Status.EXPIRED
    return Lease.Status.ACTIVE


def _renewal_signed(lease: Lease) -> bool:
    return Lease.objects.binding().filter(renews=lease).exists()


def conflict_messages(conflicts: Sequence[LeaseUnit]) -> list[str]:
    return [
        _("Unit %(unit)s is already let to %(tenant)s under lease %(lease)s from %(start)s to %(end)s.")
        % {
            "unit": conflict.unit.code,
            "tenant": conflict.lease.tenant.display_name,
            "lease": conflict.lease.number,
            "start": conflict.starts_on.isoformat(),
            "end": conflict.ends_on.isoformat(),
        }
        for conflict in conflicts
    ]


def _refuse_conflicts(lease: Lease) -> None:
    held = list(lease.lease_units.all())
    list(Unit.objects.select_for_update().filter(lease_units__lease=lease).order_by("pk"))
    conflicts = lease_unit_conflicts(
        units=[row.unit_id for row in held],
        starts_on=min(row.starts_on for row in held),
        ends_on=max(row.ends_on for row in held),
        exclude_lease_id=lease.pk,
    )
    if conflicts:
        raise Conflict({"units": conflict_messages(conflicts)})


def hold_start(lease: Lease, free_periods: Sequence[LeaseFreePeriod]) -> datetime.date:
    """Units are held from the earliest of the term and any fit-out or rent-free period."""
    return min([lease.starts_on, *(period.starts_on for period in free_periods)])


def _hold_units(lease: Lease) -> None:
    """Copy onto LeaseUnit the days the units are held (see ``hold_start``) to the lease's last day."""
    lease.lease_units.update(
        starts_on=hold_start(lease, lease.free_periods.all()),
        ends_on=lease.last_day,
        is_binding=lease.status != Lease.Status.DRAFT,
    )
    stacking_plans_changed()


def lease_terms_snapshot(lease: Lease) -> dict[str, str]:
    """The terms of a lease as staff read them, one string per term, to compare two versions."""
    escalations = [
        f"{e.get_applies_to_display()} {e.get_kind_display()} {e.value} "
        + (f"{e.effective_on:%Y-%m-%d}" if e.effective_on else _("every %(n)s months") % {"n": e.every_months})
        for e in lease.escalations.all()
    ]
    free_periods = [
        f"{p}" + (" " + _("no rent") if p.waives_rent else "") + (" " + _("no management fee") if p.waives_fee else "")
        for p in lease.free_periods.all()
    ]
    return {
        "starts_on": f"{lease.starts_on:%Y-%m-%d}",
        "ends_on": f"{lease.ends_on:%Y-%m-%d}",
        "units": ", ".join(sorted(lease.units.values_list("code", flat=True))),
        "area_override": "" if lease.area_override is None else f"{lease.area_override}",
        "rent_rate": f"{lease.rent_rate} ({lease.get_rent_basis_display()})",
        "fee_rate": f"{lease.fee_rate}",
        "payment_cycle": lease.get_payment_cycle_display(),
        "due_day": f"{lease.due_day}",
        "deposit_amount": f"{lease.deposit_amount}",
        "late_fees": f"{lease.late_fee_rate} / {lease.late_fee_grace_days} / {lease.late_fee_cap_ratio}",
        "free_periods": "; ".join(free_periods),
        "escalations": "; ".join(escalations),
        "area_changes": "; ".join(f"{change}" for change in lease.area_changes.all()),
    }


@transaction.atomic
def lease_save(
    *,
    lease: Lease,
    units: Sequence[Unit] | None = None,
    free_periods: Sequence[LeaseFreePeriod] | None = None,
    escalations: Sequence[LeaseEscalation] | None = None,
    area_changes: Sequence[LeaseAreaChange] | None = None,
    reason: str = "",
    changed_by=None,
    effective_on: datetime.date | None = None,
) -> Lease:
    """Create or change a lease with its units, free periods and escalations (each replaced when
    given), refuse overlaps with other leases, and regenerate the bills not yet issued.

    A change to a signed lease is an amendment: it needs a reason, and what changed (before and
    after), from when (``effective_on``, today by default), why and by whom is kept. Bills already
    issued are never rewritten."""
    before = None
    if lease.pk:
        stored = Lease.objects.select_for_update().get(pk=lease.pk)  # two saves of one lease run one after the other
        if stored.status != Lease.Status.DRAFT:
            before = lease_terms_snapshot(stored)
    if units is not None and not units:
        raise ValidationError({"units": _("A lease needs at least one unit.")})
    lease.full_clean()
    lease.save()
    if units is not None:
        lease.lease_units.exclude(unit__in=units).delete()
        present = set(lease.lease_units.values_list("unit_id", flat=True))
        LeaseUnit.objects.bulk_create(
            LeaseUnit(lease=lease, unit=unit, starts_on=lease.starts_on, ends_on=lease.ends_on)
            for unit in units
            if unit.pk not in present
        )
    for related, rows in (
        (lease.free_periods, free_periods),
        (lease.escalations, escalations),
        (lease.area_changes, area_changes),
    ):
        if rows is None:
            continue
        related.all().delete()
        for row in rows:
            row.pk, row.lease = None, lease
            row.full_clean()
            row.save()
    _hold_units(lease)
    if lease.status != Lease.Status.DRAFT:
        _refuse_conflicts(lease)
    if before is not None:
        _amendment_record(lease, before, reason=reason, changed_by=changed_by, effective_on=effective_on)
    lease_schedule_regenerate(lease=lease)
    return lease


def _amendment_record(lease: Lease, before: dict, *, reason: str, changed_by, effective_on) -> None:
    after = lease_terms_snapshot(Lease.objects.get(pk=lease.pk))  # as stored, not as typed
    changes = {term: [before[term], after[term]] for term in after if before.get(term) != after[term]}
    if not changes:
        return
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the terms of the signed lease change.")})
    amendment = LeaseAmendment(
        lease=lease,
        effective_on=effective_on or timezone.localdate(),
        reason=reason.strip(),
        changes=changes,
        made_by=changed_by,
    )
    amendment.full_clean()
    amendment.save()


@transaction.atomic
def lease_amend(
    *,
    lease: Lease,
    effective_on: datetime.date,
    reason: str,
    changed_by=None,
    rent_rate: Decimal | None = None,
    fee_rate: Decimal | None = None,
    area: Decimal | None = None,
) -> Lease:
    """A new rent or fee rate, or a new leased area, from ``effective_on`` (变更): the bills before it
    keep the old terms and the unissued ones after it are re-priced. A new rate is an escalation to
    it from that day; a new area a change of area from that day."""
    lease = Lease.objects.get(pk=lease.pk)
    if lease.status not in (Lease.Status.SIGNED, Lease.Status.ACTIVE):
        raise ValidationError({"status": _("Only a signed or active lease is amended.")})
    if not lease.starts_on <= effective_on <= lease.last_day:
        raise ValidationError({"effective_on": _("An amendment takes effect within the term.")})
    if rent_rate is None and fee_rate is None and area is None:
        raise ValidationError({"rent_rate": _("Give a new rent rate, fee rate or leased area.")})
    escalations = list(lease.escalations.all())
    for applies_to, rate in ((LeaseEscalation.AppliesTo.RENT, rent_rate), (LeaseEscalation.AppliesTo.FEE, fee_rate)):
        if rate is not None:
            escalations.append(
                LeaseEscalation(
                    applies_to=applies_to,
                    effective_on=effective_on,
                    kind=LeaseEscalation.Kind.NEW_RATE,
                    value=rate,
                    rate_decimals=4,
                )
            )
    area_changes = [change for change in lease.area_changes.all() if change.effective_on != effective_on]
    if area is not None:
        area_changes.append(LeaseAreaChange(effective_on=effective_on, area=area))
    return lease_save(
        lease=lease,
        escalations=escalations,
        area_changes=area_changes,
        reason=reason,
        changed_by=changed_by,
        effective_on=effective_on,
    )


def lease_create(
    *,
    number: str,
    tenant: TenantCompany,
    units: Sequence[Unit],
    starts_on: datetime.date,
    ends_on: datetime.date,
    **terms,
) -> Lease:
    """A draft lease: it holds no unit until it is signed."""
    lease = Lease(number=number, tenant=tenant, starts_on=starts_on, ends_on=ends_on, **terms)
    return lease_save(lease=lease, units=units)


@transaction.atomic
def lease_sign(*, lease: Lease, signed_on: datetime.date) -> Lease:
    """Sign a draft lease: from now on its units are held, and its schedule becomes bills.

    The units are locked first, so of two leases signed at once for one unit exactly one wins, on
    SQLite too; on PostgreSQL the exclusion constraint on LeaseUnit is the last word.
    """
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.status != Lease.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft lease can be signed.")})
    if not lease.lease_units.exists():
        raise ValidationError({"units": _("A lease needs at least one unit.")})
    _refuse_conflicts(lease)
    lease.status = _status_on(lease, timezone.localdate())
    lease.signed_on = signed_on
    lease.days_per_month = current_days_per_month()  # the convention in force when signed stays with the lease
    lease.full_clean()
    lease.save(update_fields=["status", "signed_on", "days_per_month"])
    _hold_units(lease)
    if lease.renews_id:
        Lease.objects.filter(pk=lease.renews_id, status=Lease.Status.EXPIRED).update(status=Lease.Status.RENEWED)
        # The deposit is held once: the renewal takes over what the renewed lease holds.
        deposit_carry_over(
            from_lease_id=lease.renews_id, to_lease_id=lease.pk, company_id=lease.tenant_id, on=signed_on
        )
    Prospect.objects.filter(lease=lease).update(stage=Prospect.Stage.SIGNED)
    lease_schedule_regenerate(lease=lease)
    return lease


@transaction.atomic
def lease_terminate(*, lease: Lease, on: datetime.date, reason: str) -> Lease:
    """End a signed lease early: ``on`` is its last day; its units are free from the day after and
    the bills not yet issued are cut to the shorter term. Issued bills are left as they are."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.status not in (Lease.Status.SIGNED, Lease.Status.ACTIVE):
        raise ValidationError({"status": _("Only a signed or active lease can be terminated.")})
    if not reason.strip():
        raise ValidationError({"termination_reason": _("Say why the lease ends early.")})
    if not lease.starts_on <= on <= lease.ends_on:
        raise ValidationError({"terminated_on": _("A lease can only be terminated within its term.")})
    lease.status, lease.terminated_on, lease.termination_reason = Lease.Status.TERMINATED, on, reason.strip()
    lease.full_clean()
    lease.save(update_fields=["status", "terminated_on", "termination_reason"])
    _hold_units(lease)
    lease_schedule_regenerate(lease=lease)
    return lease


@transaction.atomic
def lease_renew(
    *, lease: Lease, number: str, ends_on: datetime.date, rent_rate=None, carry_escalations: bool = True
) -> Lease:
    """A draft renewal starting the day after ``lease`` ends, with the same units and terms.

    Rent and fee continue at the rates in force on the last day (escalations applied) unless a new
    rent is given; the recurring escalations carry over when asked, counted from the renewal's start.
    """
    if lease.status == Lease.Status.DRAFT or lease.status == Lease.Status.TERMINATED:
        raise ValidationError({"status": _("Only a signed lease that runs to its end can be renewed.")})
    if Lease.objects.filter(renews=lease).exists():
        raise ValidationError({"renews": _("This lease already has a renewal.")})
    terms = lease_terms(lease=lease)
    renewal = Lease(
        number=number,
        tenant=lease.tenant,
        starts_on=lease.ends_on + datetime.timedelta(days=1),
        ends_on=ends_on,
        area_override=lease.area_override,
        area_override_reason=lease.area_override_reason,
        rent_rate=rate_on(rate_steps(terms, "rent"), lease.ends_on) if rent_rate is None else rent_rate,
        rent_basis=lease.rent_basis,
        fee_rate=rate_on(rate_steps(terms, "fee"), lease.ends_on),
        payment_cycle=lease.payment_cycle,
        due_day=lease.due_day,
        deposit_amount=lease.deposit_amount,
        late_fee_rate=lease.late_fee_rate,
        late_fee_grace_days=lease.late_fee_grace_days,
        late_fee_cap_ratio=lease.late_fee_cap_ratio,
        renews=lease,
    )
    recurring = (
        [
            LeaseEscalation(
                applies_to=e.applies_to,
                every_months=e.every_months,
                kind=e.kind,
                value=e.value,
                rate_decimals=e.rate_decimals,
            )
            for e in lease.escalations.filter(every_months__isnull=False)
        ]
        if carry_escalations
        else []
    )
    return lease_save(lease=renewal, units=list(lease.units.all()), escalations=recurring)


@transaction.atomic
def leases_roll_status(*, on: datetime.date) -> int:
    """Move signed leases whose term began to active, and finished ones to expired or renewed."""
    changed = 0
    for lease in Lease.objects.select_for_update().filter(status__in=[Lease.Status.SIGNED, Lease.Status.ACTIVE]):
        status = _status_on(lease, on)
        if status != lease.status:
            lease.status = status
            lease.save(update_fields=["status"])
            changed += 1
    return changed


def lease_schedule_regenerate(*, lease: Lease) -> None:
    """Replace the lease's scheduled (not yet issued) bills by its schedule under the current terms.

    Periods that already have a standing bill keep it; a draft lease has no schedule.
    """
    periods = [] if lease.status == Lease.Status.DRAFT else build_schedule(lease_terms(lease=lease)).periods
    late_fees = LateFeeTerms(
        rate=lease.late_fee_rate, grace_days=lease.late_fee_grace_days, cap_ratio=lease.late_fee_cap_ratio
    )
    drafts = [
        BillDraft(
            period_start=period.starts_on,
            period_end=period.ends_on,
            due_on=period.due_on,
            late_fees=late_fees,
            lines=tuple(
                LineDraft(kind=kind, amount=amount, period_start=period.starts_on, period_end=period.ends_on)
                for kind, amount in ((BillLine.Kind.RENT, period.rent), (BillLine.Kind.FEE, period.fee))
                if amount
            ),
        )
        for period in periods
        if period.total
    ]
    lease_bills_schedule(lease_id=lease.pk, company_id=lease.tenant_id, drafts=drafts)
