"""Reads of the space inventory that cross relations: the stacking plan, units scoped to a user."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from tenants.selectors import scope_to_company

from .models import Building, Floor, Unit


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
    lease_model = Unit._meta.get_field("leases").related_model  # leases.Lease, named by its relation to units
    leases = lease_model.objects.filter(pk__in=lease_ids).select_related("tenant__primary_cluster").in_bulk()
    for unit in units:
        unit.lease = leases.get(unit.current_lease_id or unit.next_lease_id)
        rows[unit.floor_id].units.append(unit)
    return StackingPlan(building=building, on=on, floors=list(rows.values()))


def unit_list_for(*, user):
    """Staff see every unit; a tenant user the units its company leases."""
    units = Unit.objects.select_related("building", "floor")
    if user.is_authenticated and user.is_staff:
        return units
    return scope_to_company(units, user=user, company_field="lease_units__lease__tenant").distinct()
