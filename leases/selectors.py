"""Reads of space, leases and the leasing pipeline that cross relations."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from .models import Building, Floor, Lease, Prospect, Unit


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
