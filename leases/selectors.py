"""Reads of space, leases and the leasing pipeline that cross relations."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Case, Count, DecimalField, F, Prefetch, Q, Sum, When
from django.utils import timezone

from tenants.models import TenantCompany
from tenants.selectors import scope_to_company

from .models import (
    ApartmentApplication,
    ApartmentRoom,
    Bed,
    BedAllocation,
    Bill,
    Building,
    Floor,
    Lease,
    LeaseEscalation,
    LeaseFreePeriod,
    LeaseUnit,
    Payment,
    PaymentAllocation,
    Prospect,
    ServiceRequest,
    Unit,
)
from .schedule import Escalation, FreePeriod, Terms, add_months, quarter_start, rate_on, rate_steps

ZERO = Decimal("0.00")


@dataclass
class StackingFloor:
    floor: Floor
    units: list[Unit] = field(default_factory=list)

    @property
    def allocated_area(self) -> Decimal:
        return sum((unit.leasable_area for unit in self.units), Decimal("0"))

    @property
    def unallocated_area(self) -> Decimal:
        return max(self.floor.leasable_area - self.allocated_area, Decimal("0"))


@dataclass
class StackingPlan:
    building: Building
    on: datetime.date
    floors: list[StackingFloor]

    @property
    def units(self) -> list[Unit]:
        return [unit for row in self.floors for unit in row.units]

    @property
    def unit_area(self) -> Decimal:
        return sum((unit.leasable_area for unit in self.units), Decimal("0"))

    @property
    def leased_area(self) -> Decimal:
        return sum((u.leasable_area for u in self.units if u.occupancy_status == Unit.Status.LEASED), Decimal("0"))

    @property
    def leased_count(self) -> int:
        return sum(1 for unit in self.units if unit.occupancy_status == Unit.Status.LEASED)

    @property
    def occupancy_by_area(self) -> Decimal | None:
        return (self.leased_area / self.unit_area * 100).quantize(Decimal("0.1")) if self.unit_area else None

    @property
    def widest_floor_area(self) -> Decimal:
        return max((row.floor.leasable_area for row in self.floors), default=Decimal("0"))


def stacking_plan(*, building: Building, on: datetime.date) -> StackingPlan:
    """The building's floors from the top down, each with its units, their status on ``on`` and the
    lease behind that status (``unit.lease``, tenant and cluster loaded). Three queries, whatever the size."""
    rows = {floor.pk: StackingFloor(floor) for floor in Floor.objects.filter(building=building).order_by("-sort_order")}
    units = list(Unit.objects.filter(building=building).with_occupancy(on=on).order_by("code"))
    lease_ids = {unit.current_lease_id or unit.next_lease_id for unit in units} - {None}
    leases = Lease.objects.filter(pk__in=lease_ids).select_related("tenant__primary_cluster").in_bulk()
    for unit in units:
        unit.lease = leases.get(unit.current_lease_id or unit.next_lease_id)
        rows[unit.floor_id].units.append(unit)
    return StackingPlan(building=building, on=on, floors=list(rows.values()))


@dataclass
class PipelineStage:
    stage: str
    label: str
    deals: int
    area: Decimal


def pipeline_by_stage() -> list[PipelineStage]:
    """Deals and area wanted per stage of the leasing pipeline, in the pipeline's order (one query)."""
    totals = {
        row["stage"]: row
        for row in Prospect.objects.values("stage").annotate(deals=Count("pk"), area=Sum("area_wanted"))
    }
    return [
        PipelineStage(
            stage=stage,
            label=label,
            deals=totals.get(stage, {}).get("deals", 0),
            area=totals.get(stage, {}).get("area") or Decimal("0"),
        )
        for stage, label in Prospect.Stage.choices
    ]


def stale_deals(*, on: datetime.date, days: int) -> list[Prospect]:
    return list(
        Prospect.objects.stale(on=on, days=days).select_related("company", "owner").order_by("last_activity_at")
    )


def days_per_month() -> Fraction:
    return Fraction(settings.PARKOPS_DAYS_PER_MONTH)


def lease_terms(*, lease: Lease) -> Terms:
    """The schedule's view of a lease: its leased area, rates, periods and escalations.

    Uses the ``leased_area`` annotation and prefetched periods and escalations when present.
    """
    area = getattr(lease, "leased_area", None)
    if area is None:
        area = lease.area_override
    if area is None:
        area = lease.units.aggregate(total=Sum("leasable_area"))["total"] or Decimal("0")
    return terms_for(lease=lease, area=area, free_periods=lease.free_periods.all(),
                     escalations=lease.escalations.all())


def terms_for(*, lease: Lease, area: Decimal, free_periods: Iterable[LeaseFreePeriod],
              escalations: Iterable[LeaseEscalation]) -> Terms:
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
        days_per_month=days_per_month(),
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
    def total_area(self) -> Decimal:
        return sum((row.unit.leasable_area for row in self.rows), ZERO)

    @property
    def leased_rows(self) -> list[RentRollRow]:
        return [row for row in self.rows if row.unit.occupancy_status == Unit.Status.LEASED]

    @property
    def leased_area(self) -> Decimal:
        return sum((row.unit.leasable_area for row in self.leased_rows), ZERO)

    @property
    def occupancy_by_area(self) -> Decimal | None:
        return _percent(self.leased_area, self.total_area)

    @property
    def occupancy_by_count(self) -> Decimal | None:
        return _percent(Decimal(len(self.leased_rows)), Decimal(len(self.rows)))

    @property
    def monthly_rent(self) -> Decimal:
        return sum((row.monthly_rent for row in self.leased_rows), ZERO)

    @property
    def average_rent(self) -> Decimal | None:
        """Average passing rent, CNY per m² per month, over the leased units."""
        return (self.monthly_rent / self.leased_area).quantize(Decimal("0.01")) if self.leased_area else None


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def _fen(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


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
        Lease.objects.binding().filter(lease_units__unit__building=building).distinct().with_area()
        .select_related("tenant").prefetch_related("free_periods", "escalations")
    )
    leases = {lease.pk: lease for lease in building_leases.filter(
        pk__in=[unit.current_lease_id for unit in units if unit.current_lease_id]
    )}
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
    weights = [(lease.leased_area, income.get(lease.pk, ZERO), _years((lease.last_day - on).days))
               for lease in leases.values()]
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
        building=building, on=on, rows=rows, expiries=expiries,
        wale_by_area=wale_area.quantize(Decimal("0.01")) if wale_area is not None else None,
        wale_by_income=wale_income.quantize(Decimal("0.01")) if wale_income is not None else None,
        lease_area=total_area, lease_income=total_income,
    )


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


def arrears_by_company(*, on: datetime.date) -> list[ArrearsRow]:
    """What each company owes on bills past their due date, aged by days late (one query)."""
    owed = F("amount") - F("amount_paid")
    money = DecimalField(max_digits=14, decimal_places=2)

    def aged(low: int, high: int | None):
        since = Q(due_on__lte=on - datetime.timedelta(days=low))
        if high is not None:
            since &= Q(due_on__gte=on - datetime.timedelta(days=high))
        return Sum(Case(When(since, then=owed), default=ZERO, output_field=money))

    totals = (
        Bill.objects.open().filter(due_on__lt=on).values("company")
        .annotate(d30=aged(1, 30), d60=aged(31, 60), d90=aged(61, 90), over=aged(91, None))
        .order_by("company")
    )
    companies = TenantCompany.objects.in_bulk([row["company"] for row in totals])
    rows = [
        ArrearsRow(companies[row["company"]], *(_fen(row[key]) for key in ("d30", "d60", "d90", "over")))
        for row in totals
    ]
    return sorted(rows, key=lambda row: row.total, reverse=True)


def company_credit(*, company: TenantCompany) -> Decimal:
    """Money received from the company and not yet applied to any bill."""
    received = Payment.objects.filter(company=company).aggregate(total=Sum("amount"))["total"] or ZERO
    applied = PaymentAllocation.objects.filter(payment__company=company).aggregate(total=Sum("amount"))["total"]
    return received - (applied or ZERO)


@dataclass
class LeasingAlerts:
    ending_within: dict[int, int]
    overdue_bills: int
    overdue_amount: Decimal


def leasing_alerts(*, on: datetime.date) -> LeasingAlerts:
    """Counts for the admin index: leases ending within 30, 90 and 180 days, and overdue bills."""
    in_force = Lease.objects.in_force(on=on).filter(terminated_on__isnull=True)
    ending = in_force.aggregate(**{
        f"d{days}": Count("pk", filter=Q(ends_on__lte=on + datetime.timedelta(days=days))) for days in (30, 90, 180)
    })
    overdue = Bill.objects.open().filter(due_on__lt=on).aggregate(count=Count("pk"), owed=Sum(F("amount") - F("amount_paid")))
    return LeasingAlerts(
        ending_within={days: ending[f"d{days}"] for days in (30, 90, 180)},
        overdue_bills=overdue["count"],
        overdue_amount=_fen(overdue["owed"]),
    )


def bill_for_pdf(*, bill_id: int) -> Bill:
    return (
        Bill.objects.select_related("company", "lease")
        .prefetch_related("lines", "allocations__payment")
        .get(pk=bill_id)
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


def unit_list_for(*, user):
    """Staff see every unit; a tenant user the units its company leases."""
    units = Unit.objects.select_related("building", "floor")
    if user.is_authenticated and user.is_staff:
        return units
    return scope_to_company(units, user=user, company_field="lease_units__lease__tenant").distinct()


def lease_list_for(*, user):
    return scope_to_company(
        Lease.objects.select_related("tenant").prefetch_related(
            Prefetch("lease_units", queryset=LeaseUnit.objects.select_related("unit"))
        ),
        user=user, company_field="tenant",
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


def units_of_company(*, company: TenantCompany):
    """The units the company holds now or will hold under a signed lease."""
    return Unit.objects.filter(
        lease_units__is_binding=True, lease_units__lease__tenant=company,
        lease_units__ends_on__gte=timezone.localdate(),
    ).select_related("building", "floor").distinct().order_by("code")


def service_request_list_for(*, user):
    return scope_to_company(
        ServiceRequest.objects.select_related("company", "unit__building", "assigned_to"), user=user,
        company_field="company",
    )


@dataclass
class ApartmentOccupancy:
    on: datetime.date
    beds: int
    occupied_beds: int
    rooms: int
    occupied_rooms: int
    waiting: int
    average_stay_days: Decimal | None

    @property
    def vacant_beds(self) -> int:
        return self.beds - self.occupied_beds

    @property
    def vacant_rooms(self) -> int:
        return self.rooms - self.occupied_rooms

    @property
    def bed_rate(self) -> Decimal | None:
        return (Decimal(self.occupied_beds) / self.beds * 100).quantize(Decimal("0.1")) if self.beds else None


def apartment_occupancy(*, on: datetime.date, buildings=None) -> ApartmentOccupancy:
    """Beds and rooms occupied on ``on`` (a bed is occupied from check-in to the day before
    check-out), the waiting list, and the average stay of residents who have left (four queries)."""
    beds = Bed.objects.all()
    rooms = ApartmentRoom.objects.all()
    if buildings is not None:
        beds, rooms = beds.filter(room__unit__building__in=buildings), rooms.filter(unit__building__in=buildings)
    holding = BedAllocation.objects.filter(bed__in=beds, check_in__lte=on, occupied_until__gt=on).exclude(
        status=BedAllocation.Status.CANCELLED)
    stays = list(BedAllocation.objects.filter(bed__in=beds, status=BedAllocation.Status.CHECKED_OUT)
                 .values_list("check_in", "actual_check_out"))
    average = (Decimal(sum((out - check_in).days for check_in, out in stays)) / len(stays)).quantize(
        Decimal("0.1")) if stays else None
    return ApartmentOccupancy(
        on=on, beds=beds.count(), occupied_beds=holding.values("bed").distinct().count(), rooms=rooms.count(),
        occupied_rooms=holding.values("bed__room").distinct().count(),
        waiting=ApartmentApplication.objects.filter(status=ApartmentApplication.Status.WAITLISTED).count(),
        average_stay_days=average,
    )


def allocation_list_for(*, user):
    return scope_to_company(BedAllocation.objects.select_related("bed__room__unit", "company"), user=user,
                            company_field="company")


def application_list_for(*, user):
    return scope_to_company(ApartmentApplication.objects.select_related("company"), user=user, company_field="company")
