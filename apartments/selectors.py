"""Reads of talent apartments: occupancy of beds and rooms, residents and applications scoped to a user."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tenants.selectors import scope_to_company

from .models import ApartmentApplication, ApartmentRoom, Bed, BedAllocation


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
        status=BedAllocation.Status.CANCELLED
    )
    stays = list(
        BedAllocation.objects.filter(bed__in=beds, status=BedAllocation.Status.CHECKED_OUT).values_list(
            "check_in", "actual_check_out"
        )
    )
    average = (
        (Decimal(sum((out - check_in).days for check_in, out in stays)) / len(stays)).quantize(Decimal("0.1"))
        if stays
        else None
    )
    return ApartmentOccupancy(
        on=on,
        beds=beds.count(),
        occupied_beds=holding.values("bed").distinct().count(),
        rooms=rooms.count(),
        occupied_rooms=holding.values("bed__room").distinct().count(),
        waiting=ApartmentApplication.objects.filter(status=ApartmentApplication.Status.WAITLISTED).count(),
        average_stay_days=average,
    )


def allocation_list_for(*, user):
    return scope_to_company(
        BedAllocation.objects.select_related("bed__room__unit", "company"), user=user, company_field="company"
    )


def application_list_for(*, user):
    return scope_to_company(ApartmentApplication.objects.select_related("company"), user=user, company_field="company")
