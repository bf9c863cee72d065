"""Reads of leases and the leasing pipeline that cross relations: terms, the rent roll, alerts."""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from billing.models import Bill
from core.dates import add_months, quarter_start
from core.money import fen
from spaces.models import Building, Unit
from tenants.selectors import scope_to_company

from .models import Lease, LeaseAreaChange, LeaseEscalation, LeaseFreePeriod, LeaseUnit, Prospect
from .schedule import Escalation, FreePeriod, Terms, rate_on, rate_steps

ZERO = Decimal("0.00")
NOT_LET_BY_LEASE = {
    Unit.Use.APARTMENT: _("let by the bed (talent apartments)"),
    Unit.Use.HALL: _("let by the booking (halls)"),
}


@dataclass
class PipelineStage:
    stage: str
    label: str
    deals: int
    area: Decimal
    value: Decimal = ZERO  # the rent a month quoted (area wanted × quoted rent, a day's rent × days a month)
    reached: int = 0  # deals at this stage or further along (not lost): the funnel's width
    conversion: Decimal | None = None  # of the deals that reached the stage before, the share that reached this


def pipeline_by_stage() -> list[PipelineStage]:
    """Deals, area wanted and rent quoted per stage of the leasing pipeline, in the pipeline's order,
    with each stage's conversion from the one before (one query)."""
    factor = Fraction(settings.PARKOPS_DAYS_PER_MONTH)
    days_per_month = Decimal(factor.numerator) / factor.denominator
    totals: dict[str, dict] = {}
    rows = Prospect.objects.values("stage", "quoted_rent_basis").annotate(
        deals=Count("pk"), area=Sum("area_wanted"), quoted=Sum(F("area_wanted") * F("quoted_rent"))
    )
    for row in rows:
        total = totals.setdefault(row["stage"], {"deals": 0, "area": ZERO, "value": ZERO})
        quoted = row["quoted"] or ZERO
        total["deals"] += row["deals"]
        total["area"] += row["area"] or ZERO
        total["value"] += quoted * days_per_month if row["quoted_rent_basis"] == "per_day" else quoted
    stages = [
        PipelineStage(
            stage=stage,
            label=label,
            deals=totals.get(stage, {}).get("deals", 0),
            area=totals.get(stage, {}).get("area", ZERO),
            value=totals.get(stage, {}).get("value", ZERO).quantize(Decimal("0.01")),
        )
        for stage, label in Prospect.Stage.choices
    ]
    open_stages = [stage for stage in stages if stage.stage != Prospect.Stage.LOST]
    reached = 0
    for stage in reversed(open_stages):
        reached += stage.deals
        stage.reached = reached
    for before, stage in itertools.pairwise(open_stages):
        stage.conversion = (
            (Decimal(stage.reached) / before.reached * 100).quantize(Decimal("0.1")) if before.reached else None
        )
    return stages


def stale_deals(*, on: datetime.date, days: int) -> list[Prospect]:
    return list(
        Prospect.objects.stale(on=on, days=days).select_related("company", "owner").order_by("last_activity_at")
    )


def lease_terms(*, lease: Lease) -> Terms:
    """The schedule's view of a lease: its leased area, rates, periods and escalations.

    Uses the ``leased_area`` annotation and prefetched periods and escalations when present.
    """
    area = getattr(lease, "leased_area", None)
    if area is None:
        area = lease.area_override
    if area is None:
        area = lease.units.aggregate(total=Sum("leasable_area"))["total"] or Decimal("0")
    return terms_for(
        lease=lease,
        area=area,
        free_periods=lease.free_periods.all(),
        escalations=lease.escalations.all(),
        area_changes=lease.area_changes.all(),
    )


def terms_for(
    *,
    lease: Lease,
    area: Decimal,
    free_periods: Iterable[LeaseFreePeriod],
    escalations: Iterable[LeaseEscalation],
    area_changes: Iterable[LeaseAreaChange] = (),
) -> Terms:
    """The schedule's view of a lease with the given area, free periods and escalations (rows of
    the database or still unsaved ones, as the bulk scale seed has them)."""
    return Terms(
        starts_on=lease.starts_on,
        ends_on=lease.last_day,
        area=area,
        rent_rate=lease.rent_rate,
        rent_basis=lease.rent_basis,
        fee_rate=lease.fee_rate,
        cycle=lease.payment_cycle,
        due_day=lease.due_day,
        free_periods=tuple(FreePeriod(p.starts_on, p.ends_on, p.waives_rent, p.waives_fee) for p in free_periods),
        escalations=tuple(
            Escalation(e.applies_to, e.kind, e.value, e.effective_on, e.every_months, e.rate_decimals)
            for e in escalations
        ),
        days_per_month=Fraction(lease.days_per_month),
        area_steps=tuple((change.effective_on, change.area) for change in area_changes),
    )


def monthly_rates_on(*, lease: Lease, on: datetime.date) -> tuple[Decimal, Decimal]:
    """The rent and fee per m² per month in force on ``on`` (escalations applied, free days ignored)."""
    terms = lease_terms(lease=lease)
    rent = rate_on(rate_steps(terms, "rent"), on)
    fee = rate_on(rate_steps(terms, "fee"), on)
    if terms.rent_basis == Lease.RentBasis.PER_DAY:
        rent = rent * Decimal(terms.days_per_month.numerator) / Decimal(terms.days_per_month.denominator)
    return rent, fee


@dataclass
class RentRollRow:
    unit: Unit
    lease: Lease | None
    monthly_rent: Decimal
    monthly_fee: Decimal

    @property
    def status_label(self) -> str:
        """Vacant, reserved or leased for a unit let under leases; otherwise how it is used instead."""
        if self.unit.use in Unit.LEASED_USES:
            return self.unit.occupancy_label
        return str(NOT_LET_BY_LEASE.get(self.unit.use, _("not let")))


@dataclass
class ExpiryQuarter:
    starts_on: datetime.date
    leases: int
    area: Decimal

    @property
    def label(self) -> str:
        return f"{self.starts_on.year} Q{(self.starts_on.month - 1) // 3 + 1}"


@dataclass
class RentRoll:
    building: Building
    on: datetime.date
    rows: list[RentRollRow]
    expiries: list[ExpiryQuarter]
    wale_by_area: Decimal | None
    wale_by_income: Decimal | None
    lease_area: Decimal = ZERO  # leased area of the leases in force, the WALE's weights
    lease_income: Decimal = ZERO

    @property
    def lettable_rows(self) -> list[RentRollRow]:
        """The units let under leases (offices and shops), over which occupancy is counted: talent
        apartments are let by the bed and halls by the booking (each has figures of its own)."""
        return [row for row in self.rows if row.unit.use in Unit.LEASED_USES]

    @property
    def total_area(self) -> Decimal:
        return sum((row.unit.leasable_area for row in self.lettable_rows), ZERO)

    @property
    def leased_rows(self) -> list[RentRollRow]:
        return [row for row in self.lettable_rows if row.unit.occupancy_status == Unit.Status.LEASED]

    @property
    def leased_area(self) -> Decimal:
        return sum((row.unit.leasable_area for row in self.leased_rows), ZERO)

    @property
    def occupancy_by_area(self) -> Decimal | None:
        return _percent(self.leased_area, self.total_area)

    @property
    def occupancy_by_count(self) -> Decimal | None:
        return _percent(Decimal(len(self.leased_rows)), Decimal(len(self.lettable_rows)))

    @property
    def monthly_rent(self) -> Decimal:
        return sum((row.monthly_rent for row in self.leased_rows), ZERO)

    @property
    def average_rent(self) -> Decimal | None:
        """Average passing rent, CNY per m² per month, over the leased units."""
        return (self.monthly_rent / self.leased_area).quantize(Decimal("0.01")) if self.leased_area else None


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def _years(days: int) -> Decimal:
    return Decimal(days) / Decimal("365.25")


def rent_roll(*, building: Building, on: datetime.date) -> RentRoll:
    """Every unit of the building with the lease in force on ``on``, its passing rent and fee, and
    the KPIs: occupancy, average rent, WALE by area and by income, expiries per quarter for three
    years. A fixed number of queries whatever the size."""
    floors = {floor.pk: floor for floor in building.floors.all()}
    units = list(Unit.objects.filter(building=building).with_occupancy(on=on).order_by("-floor__sort_order", "code"))
    for unit in units:
        unit.floor = floors[unit.floor_id]  # one Floor per floor, not one per unit: a portfolio report holds them all
    building_leases = (
        Lease.objects.binding()
        .filter(lease_units__unit__building=building)
        .distinct()
        .with_area()
        .select_related("tenant")
        .prefetch_related("free_periods", "escalations", "area_changes")
    )
    leases = {
        lease.pk: lease
        for lease in building_leases.filter(pk__in=[unit.current_lease_id for unit in units if unit.current_lease_id])
    }
    rows = []
    income: dict[int, Decimal] = {}
    for unit in units:
        lease = leases.get(unit.current_lease_id)
        rent = fee = ZERO
        if lease is not None:
            rent_rate, fee_rate = monthly_rates_on(lease=lease, on=on)
            area = unit.leasable_area * lease.leased_area / lease.units_area if lease.units_area else ZERO
            rent, fee = (area * rent_rate).quantize(Decimal("0.01")), (area * fee_rate).quantize(Decimal("0.01"))
            income[lease.pk] = income.get(lease.pk, ZERO) + rent
        rows.append(RentRollRow(unit=unit, lease=lease, monthly_rent=rent, monthly_fee=fee))
    weights = [
        (lease.leased_area, income.get(lease.pk, ZERO), _years((lease.last_day - on).days)) for lease in leases.values()
    ]
    total_area, total_income = sum((w[0] for w in weights), ZERO), sum((w[1] for w in weights), ZERO)
    wale_area = sum((a * y for a, _, y in weights), ZERO) / total_area if total_area else None
    wale_income = sum((i * y for _, i, y in weights), ZERO) / total_income if total_income else None
    first = quarter_start(on)
    ending = list(
        building_leases.filter(terminated_on__isnull=True, ends_on__gte=first, ends_on__lt=add_months(first, 36))
    )
    expiries = []
    for index in range(12):
        start, after = add_months(first, 3 * index), add_months(first, 3 * index + 3)
        in_quarter = [lease for lease in ending if start <= lease.ends_on < after]
        expiries.append(ExpiryQuarter(start, len(in_quarter), sum((lease.leased_area for lease in in_quarter), ZERO)))
    return RentRoll(
        building=building,
        on=on,
        rows=rows,
        expiries=expiries,
        wale_by_area=wale_area.quantize(Decimal("0.01")) if wale_area is not None else None,
        wale_by_income=wale_income.quantize(Decimal("0.01")) if wale_income is not None else None,
        lease_area=total_area,
        lease_income=total_income,
    )


@dataclass
class LeasingAlerts:
    ending_within: dict[int, int]
    overdue_bills: int
    overdue_amount: Decimal


def leasing_alerts(*, on: datetime.date) -> LeasingAlerts:
    """Counts for the admin index: leases ending within 30, 90 and 180 days, and overdue bills."""
    in_force = Lease.objects.in_force(on=on).filter(terminated_on__isnull=True)
    ending = in_force.aggregate(
        **{f"d{days}": Count("pk", filter=Q(ends_on__lte=on + datetime.timedelta(days=days))) for days in (30, 90, 180)}
    )
    overdue = (
        Bill.objects.open()
        .filter(due_on__lt=on)
        .aggregate(count=Count("pk"), owed=Sum(F("amount_due") - F("amount_paid")))
    )
    return LeasingAlerts(
        ending_within={days: ending[f"d{days}"] for days in (30, 90, 180)},
        overdue_bills=overdue["count"],
        overdue_amount=fen(overdue["owed"]),
    )


def lease_unit_conflicts(
    *, units, starts_on: datetime.date, ends_on: datetime.date, exclude_lease_id: int | None
) -> list[LeaseUnit]:
    """Binding lease units on ``units`` (units or ids) held on any day from ``starts_on`` to ``ends_on``."""
    return list(
        LeaseUnit.objects.filter(is_binding=True, unit__in=units, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(lease_id=exclude_lease_id)
        .select_related("unit", "lease__tenant")
        .order_by("unit__code", "starts_on")
    )


def lease_list_for(*, user):
    return scope_to_company(
        Lease.objects.select_related("tenant").prefetch_related(
            Prefetch("lease_units", queryset=LeaseUnit.objects.select_related("unit"))
        ),
        user=user,
        company_field="tenant",
    )
