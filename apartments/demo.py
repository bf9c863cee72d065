"""Demo talent apartments: rooms and beds on the apartment floors, quotas, residents and applications."""

import datetime
from decimal import Decimal

from spaces.models import Building, Unit
from tenants.models import TenantCompany

from .identity import mainland_check_character
from .models import ApartmentApplication, ApartmentQuota, ApartmentRoom, Bed
from .services import apartment_apply, application_approve

_LAYOUTS = {45: ("studio", 1, "1800"), 65: ("one_bed", 1, "2600"), 90: ("two_bed", 2, "1600")}
_RESIDENT_NAMES = ["陈思远", "李雨桐", "张浩然", "黄嘉怡", "王梓轩", "林可欣", "刘子墨", "吴欣妍", "郑宇航", "梁诗涵"]


def demo_resident_id(seed: int) -> str:
    """A well-formed mainland resident ID (Guangzhou Tianhe, born 1990s): a demo value, nobody's real ID."""
    body = f"440106199{seed % 10}{1 + seed % 12:02d}{1 + seed % 28:02d}{seed % 1000:03d}"
    return body + mainland_check_character(body)


def seed_apartments(*, building: Building, on: datetime.date) -> None:
    """Rooms and beds on the two apartment floors, quotas for tenants, about 80 % of beds let and a
    few applications waiting (every figure a demo value)."""
    if ApartmentRoom.objects.filter(unit__building=building).exists():
        return
    beds = []
    for unit in Unit.objects.filter(building=building, use=Unit.Use.APARTMENT).order_by("code"):
        layout, count, rent = _LAYOUTS[int(unit.leasable_area)]
        room = ApartmentRoom.objects.create(
            unit=unit,
            layout=layout,
            monthly_rent=Decimal(rent),
            deposit=Decimal(rent),
            rent_basis=ApartmentRoom.RentBasis.PER_BED,
        )
        beds += [Bed.objects.create(room=room, label=label) for label in "AB"[:count]]
    tenants = list(TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).order_by("name"))
    for index, company in enumerate(tenants):
        ApartmentQuota.objects.create(
            company=company,
            beds=2 + index % 3,
            basis="每 150 ㎡ 租赁面积约 1 个床位（演示）",
            bill_to=ApartmentQuota.BillTo.RESIDENT if index % 5 == 4 else ApartmentQuota.BillTo.COMPANY,
        )
    let = int(len(beds) * 0.8)
    for index, bed in enumerate(beds[:let]):
        company = tenants[index % len(tenants)]
        application = apartment_apply(
            application=ApartmentApplication(
                company=company,
                name=_RESIDENT_NAMES[index % len(_RESIDENT_NAMES)],
                id_number=demo_resident_id(index),
                phone=f"138{index:04d}{(index * 7919) % 10000:04d}",
                months=12,
                wanted_from=on - datetime.timedelta(days=30 * (index % 10)),
            )
        )
        allocation = application_approve(application=application, bed=bed)
        allocation.status = allocation.Status.CHECKED_IN if allocation.check_in <= on else allocation.Status.RESERVED
        allocation.save(update_fields=["status"])
    for index in range(4):
        apartment_apply(
            application=ApartmentApplication(
                company=tenants[(index * 3) % len(tenants)],
                name=_RESIDENT_NAMES[(index + 3) % len(_RESIDENT_NAMES)],
                id_number=demo_resident_id(500 + index),
                phone=f"139{index:08d}",
                months=6 + index,
                wanted_from=on + datetime.timedelta(days=14 * (index + 1)),
            )
        )
