"""The figures of each report, computed from the database as of the period's end.

Occupancy figures come from the same rent roll as the admin's (``leases.selectors.rent_roll``),
so a report and the rent roll for the same day always agree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from apartments.selectors import ApartmentOccupancy, apartment_occupancy
from events.selectors import HallUtilisation, hall_utilisation
from filings.selectors import accepted_totals
from leases.models import Lease
from leases.selectors import ExpiryQuarter, RentRoll, rent_roll
from spaces.models import Building, Unit
from tenants.models import CompanyYearFigure, IndustryCluster, Milestone, PartnerAgreement, TenantCompany

ZERO = Decimal("0.00")
DAY = datetime.timedelta(days=1)
REVENUE_CODE, TAX_CODE = "revenue", "tax"  # the park statistics' indicators the cluster report adds up


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def _weighted(pairs: list[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    weight = sum((w for value, w in pairs if value is not None), ZERO)
    total = sum((value * w for value, w in pairs if value is not None), ZERO)
    return (total / weight).quantize(Decimal("0.01")) if weight else None


@dataclass
class FloorBar:
    label: str
    leased: Decimal
    reserved: Decimal
    vacant: Decimal


@dataclass
class BuildingOccupancy:
    building: Building
    roll: RentRoll
    floors: list[FloorBar]

    @property
    def vacant_rows(self):
        return [row for row in self.roll.lettable_rows if row.unit.occupancy_status != Unit.Status.LEASED]


@dataclass
class LeaseMovement:
    leases: int = 0
    area: Decimal = ZERO


@dataclass
class OccupancyFigures:
    period_start: datetime.date
    period_end: datetime.date
    buildings: list[BuildingOccupancy]
    previous_leased_area: Decimal
    new_leases: LeaseMovement
    expiries_in_period: LeaseMovement
    apartments: ApartmentOccupancy
    halls: list[HallUtilisation]

    @property
    def rolls(self) -> list[RentRoll]:
        return [b.roll for b in self.buildings]

    @property
    def leasable_area(self) -> Decimal:
        return sum((roll.total_area for roll in self.rolls), ZERO)

    @property
    def leased_area(self) -> Decimal:
        return sum((roll.leased_area for roll in self.rolls), ZERO)

    @property
    def unit_count(self) -> int:
        return sum(len(roll.lettable_rows) for roll in self.rolls)

    @property
    def leased_count(self) -> int:
        return sum(len(roll.leased_rows) for roll in self.rolls)

    @property
    def occupancy_by_area(self) -> Decimal | None:
        return _percent(self.leased_area, self.leasable_area)

    @property
    def occupancy_by_count(self) -> Decimal | None:
        return _percent(Decimal(self.leased_count), Decimal(self.unit_count))

    @property
    def vacancy_by_area(self) -> Decimal | None:
        occupancy = self.occupancy_by_area
        return None if occupancy is None else Decimal("100.0") - occupancy

    @property
    def wale_by_area(self) -> Decimal | None:
        return _weighted([(roll.wale_by_area, roll.lease_area) for roll in self.rolls])

    @property
    def wale_by_income(self) -> Decimal | None:
        return _weighted([(roll.wale_by_income, roll.lease_income) for roll in self.rolls])

    @property
    def net_absorption(self) -> Decimal:
        return self.leased_area - self.previous_leased_area

    @property
    def expiry_profile(self) -> list[ExpiryQuarter]:
        quarters = [ExpiryQuarter(q.starts_on, 0, ZERO) for q in self.rolls[0].expiries] if self.rolls else []
        for roll in self.rolls:
            for total, quarter in zip(quarters, roll.expiries, strict=True):
                total.leases += quarter.leases
                total.area += quarter.area
        return quarters


def _floors(roll: RentRoll) -> list[FloorBar]:
    bars: dict[int, FloorBar] = {}
    for row in roll.lettable_rows:
        floor = row.unit.floor
        bar = bars.setdefault(floor.pk, FloorBar(floor.label, ZERO, ZERO, ZERO))
        status = row.unit.occupancy_status
        attribute = (
            "leased" if status == Unit.Status.LEASED else "reserved" if status == Unit.Status.RESERVED else "vacant"
        )
        setattr(bar, attribute, getattr(bar, attribute) + row.unit.leasable_area)
    return list(bars.values())


def _movement(leases) -> LeaseMovement:
    leases = list(leases)
    return LeaseMovement(len(leases), sum((lease.leased_area for lease in leases), ZERO))


def leases_in_scope(buildings):
    """Binding leases of units in ``buildings``, with their leased area."""
    return Lease.objects.binding().filter(lease_units__unit__building__in=buildings).distinct().with_area()


def leases_starting(buildings, period_start: datetime.date, period_end: datetime.date):
    """New leases: binding leases whose term begins in the period."""
    return leases_in_scope(buildings).filter(starts_on__range=(period_start, period_end))


def leases_ending(buildings, period_start: datetime.date, period_end: datetime.date):
    """Expiries: leases whose last day (the end of their term, or their termination) falls in the period."""
    return leases_in_scope(buildings).filter(
        Q(terminated_on__isnull=True, ends_on__range=(period_start, period_end))
        | Q(terminated_on__range=(period_start, period_end))
    )


def occupancy_figures(
    *, buildings: list[Building], period_start: datetime.date, period_end: datetime.date
) -> OccupancyFigures:
    occupancies = []
    for building in buildings:
        roll = rent_roll(building=building, on=period_end)
        occupancies.append(BuildingOccupancy(building=building, roll=roll, floors=_floors(roll)))
    previous = (
        Unit.objects.filter(building__in=buildings)
        .with_occupancy(on=period_start - DAY)
        .filter(occupancy_status=Unit.Status.LEASED)
        .aggregate(total=Sum("leasable_area"))["total"]
        or ZERO
    )
    return OccupancyFigures(
        period_start=period_start,
        period_end=period_end,
        buildings=occupancies,
        previous_leased_area=previous,
        new_leases=_movement(leases_starting(buildings, period_start, period_end)),
        expiries_in_period=_movement(leases_ending(buildings, period_start, period_end)),
        apartments=apartment_occupancy(on=period_end, buildings=buildings),
        halls=hall_utilisation(first_day=period_start, last_day=period_end, buildings=buildings),
    )


@dataclass
class ClusterRow:
    cluster: IndustryCluster
    companies: int = 0
    let_area: Decimal = ZERO
    headcount: int = 0
    output_value: Decimal = ZERO
    previous_output_value: Decimal = ZERO
    listed: int = 0
    incubated: int = 0
    share: Decimal | None = None
    revenue: Decimal = ZERO  # accepted statistics filings of the quarters in the period (万元)
    tax: Decimal = ZERO

    @property
    def growth(self) -> Decimal | None:
        if not self.previous_output_value:
            return None
        return ((self.output_value / self.previous_output_value - 1) * 100).quantize(Decimal("0.1"))


@dataclass
class AgreementStatus:
    agreement: PartnerAgreement
    done: int
    open: int
    overdue: int


@dataclass
class ClusterFigures:
    period_start: datetime.date
    period_end: datetime.date
    year: int
    rows: list[ClusterRow]
    move_ins: list[Lease] = field(default_factory=list)
    move_outs: list[Lease] = field(default_factory=list)
    agreements: list[AgreementStatus] = field(default_factory=list)

    @property
    def total(self) -> ClusterRow:
        total = ClusterRow(cluster=IndustryCluster(code="total", name_zh="合计", name_en="Total"))
        for row in self.rows:
            for name in (
                "companies",
                "let_area",
                "headcount",
                "output_value",
                "previous_output_value",
                "listed",
                "incubated",
                "revenue",
                "tax",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        total.share = Decimal("100.0") if total.let_area else None
        return total


def cluster_figures(
    *, buildings: list[Building], period_start: datetime.date, period_end: datetime.date
) -> ClusterFigures:
    """Per cluster (by each company's primary cluster): tenant companies with a lease in force at
    the period's end, their let area and share, headcount, output value of the last full year and
    its growth, listed and incubated companies, revenue and tax of the period's quarters from the
    accepted statistics filings; then move-ins, move-outs and partner milestones."""
    year = period_end.year if period_end.month == 12 and period_end.day == 31 else period_end.year - 1
    in_scope = leases_in_scope(buildings)
    in_force = list(in_scope.in_force(on=period_end).select_related("tenant"))
    area_by_company: dict[int, Decimal] = {}
    for lease in in_force:
        area_by_company[lease.tenant_id] = area_by_company.get(lease.tenant_id, ZERO) + lease.leased_area
    companies = TenantCompany.objects.filter(pk__in=area_by_company)
    outputs = {
        (row["company"], row["year"]): row["output_value"] or ZERO
        for row in CompanyYearFigure.objects.filter(
            company__in=companies, year__in=[year, year - 1], status=CompanyYearFigure.Status.ACCEPTED
        ).values("company", "year", "output_value")
    }
    filed = accepted_totals(
        companies=companies, first_day=period_start, last_day=period_end, codes=[REVENUE_CODE, TAX_CODE]
    )
    rows = {cluster.pk: ClusterRow(cluster=cluster) for cluster in IndustryCluster.objects.all()}
    for company in companies:
        row = rows[company.primary_cluster_id]
        row.companies += 1
        row.let_area += area_by_company[company.pk]
        row.headcount += company.headcount or 0
        row.output_value += outputs.get((company.pk, year), ZERO)
        row.previous_output_value += outputs.get((company.pk, year - 1), ZERO)
        row.listed += company.is_listed
        row.incubated += company.is_incubated_in_park
        row.revenue += filed.get((company.pk, REVENUE_CODE), ZERO)
        row.tax += filed.get((company.pk, TAX_CODE), ZERO)
    total_area = sum((row.let_area for row in rows.values()), ZERO)
    for row in rows.values():
        row.share = _percent(row.let_area, total_area)
    move_ins = in_scope.filter(starts_on__range=(period_start, period_end), renews__isnull=True)
    move_outs = in_scope.filter(
        Q(terminated_on__isnull=True, ends_on__range=(period_start, period_end), renewed_by__isnull=True)
        | Q(terminated_on__range=(period_start, period_end))
    )
    agreements = []
    milestones_by_agreement: dict[int, list[Milestone]] = {}
    signed = PartnerAgreement.objects.filter(signed_on__lte=period_end).exclude(status=PartnerAgreement.Status.DRAFT)
    for milestone in Milestone.objects.filter(agreement__in=signed):
        milestones_by_agreement.setdefault(milestone.agreement_id, []).append(milestone)
    for agreement in signed.select_related("partner").order_by("partner__name"):
        own = milestones_by_agreement.get(agreement.pk, [])
        done = sum(1 for m in own if m.completed_on and m.completed_on <= period_end)
        cancelled = sum(1 for m in own if m.status == Milestone.Status.CANCELLED)
        overdue = sum(
            1
            for m in own
            if not (m.completed_on and m.completed_on <= period_end)
            and m.status != Milestone.Status.CANCELLED
            and m.due_on < period_end
        )
        agreements.append(AgreementStatus(agreement, done, len(own) - done - cancelled - overdue, overdue))
    return ClusterFigures(
        period_start=period_start,
        period_end=period_end,
        year=year,
        rows=sorted(rows.values(), key=lambda row: (-row.let_area, row.cluster.order)),
        move_ins=list(move_ins.select_related("tenant").order_by("starts_on")),
        move_outs=list(move_outs.select_related("tenant").order_by("ends_on")),
        agreements=agreements,
    )
