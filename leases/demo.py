"""Demo data for the space inventory: the real tower with a demo floor plan, and its demo leases.

The building's name, place, 116,000 m² and 149.95 m are facts; the storeys, floor areas, units and
leases are demo values chosen to be plausible, and are marked as such.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tenants.models import TenantCompany
from tenants.services import company_save

from .identity import mainland_check_character
from .models import (
    ApartmentApplication,
    ApartmentQuota,
    ApartmentRoom,
    Bed,
    Bill,
    Building,
    Floor,
    Lease,
    LeaseEscalation,
    LeaseFreePeriod,
    Payment,
    Prospect,
    ProspectActivity,
    Unit,
)
from .schedule import add_months
from .services import (
    apartment_apply,
    application_approve,
    bills_issue_due,
    building_save,
    floor_save,
    lease_save,
    lease_sign,
    payment_record,
    prospect_activity_save,
    prospect_save,
)

TOWER_CODE = "LDC"
TOWER = {
    "name_zh": "岭南数字创意大厦",
    "name_en": "Lingnan Digital Creative Building",
    "address": "广州国际金融城北区核心区，羊城创意产业园主园区东侧",
    "gross_floor_area": Decimal("116000.00"),
    "height_m": Decimal("149.95"),
    "storeys_above_ground": 32,
    "storeys_below_ground": 3,
    "year_opened": 2025,
    "notes": (
        "羊城晚报报业集团建设运营；2025-03-28 启动招商运营，计划 2026 年全面运营。"
        "楼层数、各层面积与单元划分为演示数据 (storeys, floor areas and units are demo values)."
    ),
}

OFFICE_UNIT_AREAS = [320, 260, 180, 220, 200, 240, 180, 260, 200, 240]  # 2,300 m² a floor
APARTMENT_UNIT_AREAS = [45] * 12 + [65] * 12 + [90] * 6  # studios, one-beds, two-beds: 1,860 m²
REFUGE_FLOORS = {12, 24}
APARTMENT_FLOORS = {30, 31}
TYPICAL_GROSS = Decimal("3150")
OPENING_DAY = datetime.date(2025, 3, 28)  # leasing and operations opened (a fact)


def _floor_plan() -> list[dict]:
    """Floors from B3 to 32F whose gross areas add up to the tower's 116,000 m² (demo values)."""
    use, unit_use = Floor.Use, Unit.Use
    plan = [
        {"sort_order": -level, "label": f"B{level}", "main_use": use.PLANT if level == 1 else use.PARKING,
         "gross_area": Decimal("5000"), "leasable_area": Decimal("0"), "units": []}
        for level in (3, 2, 1)
    ]
    plan += [
        {"sort_order": 1, "label": "1F", "main_use": use.RETAIL, "gross_area": Decimal("3600"),
         "leasable_area": Decimal("1100"),
         "units": [("0101", unit_use.RETAIL, 320), ("0102", unit_use.RETAIL, 280), ("0103", unit_use.RETAIL, 260),
                   ("0104", unit_use.AMENITY, 240)]},
        {"sort_order": 2, "label": "2F", "main_use": use.HALL, "gross_area": Decimal("3600"),
         "leasable_area": Decimal("2400"),
         "units": [("0201", unit_use.HALL, 1200), ("0202", unit_use.HALL, 600), ("0203", unit_use.HALL, 300),
                   ("0204", unit_use.HALL, 300)]},
        {"sort_order": 3, "label": "3F", "main_use": use.HALL, "gross_area": Decimal("3600"),
         "leasable_area": Decimal("2300"),
         "units": [("0301", unit_use.AMENITY, 900), ("0302", unit_use.HALL, 800), ("0303", unit_use.OFFICE, 600)]},
    ]
    for level in range(4, 32):
        if level in REFUGE_FLOORS:
            main_use, leasable, units = use.REFUGE, Decimal("0"), []
        elif level in APARTMENT_FLOORS:
            main_use, leasable = use.APARTMENT, Decimal(sum(APARTMENT_UNIT_AREAS))
            units = [(f"{level:02d}{n:02d}", unit_use.APARTMENT, a) for n, a in enumerate(APARTMENT_UNIT_AREAS, 1)]
        else:
            main_use, leasable = use.OFFICE, Decimal(sum(OFFICE_UNIT_AREAS))
            units = [(f"{level:02d}{n:02d}", unit_use.OFFICE, a) for n, a in enumerate(OFFICE_UNIT_AREAS, 1)]
        plan.append({"sort_order": level, "label": f"{level}F", "main_use": main_use, "gross_area": TYPICAL_GROSS,
                     "leasable_area": leasable, "units": units})
    crown = TOWER["gross_floor_area"] - sum(floor["gross_area"] for floor in plan)
    plan.append({"sort_order": 32, "label": "32F", "main_use": use.AMENITY, "gross_area": crown,
                 "leasable_area": Decimal("800"), "units": [("3201", unit_use.AMENITY, 800)]})
    return plan


def seed_tower() -> Building:
    building = Building.objects.filter(code=TOWER_CODE).first() or Building(code=TOWER_CODE)
    for name, value in TOWER.items():
        setattr(building, name, value)
    building_save(building=building)
    for spec in _floor_plan():
        floor = Floor.objects.filter(building=building, label=spec["label"]).first() or Floor(building=building)
        floor.sort_order, floor.label, floor.main_use = spec["sort_order"], spec["label"], spec["main_use"]
        floor.gross_area, floor.leasable_area, floor.is_demo = spec["gross_area"], spec["leasable_area"], True
        existing = {unit.code: unit for unit in floor.units.all()} if floor.pk else {}
        units = []
        for code, unit_use, area in spec["units"]:
            unit = existing.get(code) or Unit(code=code)
            unit.use, unit.leasable_area, unit.is_demo = unit_use, Decimal(area), True
            units.append(unit)
        floor_save(floor=floor, units=units)
    return building


def _lease_start(index: int) -> datetime.date:
    """Leases signed from the opening on 2025-04-01, a month apart in turn (demo values)."""
    month = 4 + index % 18
    return datetime.date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def seed_leases(*, building: Building, companies: list[TenantCompany]) -> None:
    """Each tenant company leases one to three neighbouring office units for three years.

    Most leases have started, a few start next year (their units show as reserved), and about a
    third of the office space stays vacant. Every figure is a demo value.
    """
    offices = list(Unit.objects.filter(building=building, use=Unit.Use.OFFICE).order_by("code"))
    tenants = [company for company in companies if company.status == TenantCompany.Status.TENANT]
    cursor = 0
    for index, tenant in enumerate(tenants):
        number = f"{building.code}-DEMO-{index + 1:03d}"
        size = 1 + index % 3
        if Lease.objects.filter(number=number).exists():
            cursor += size + 1
            continue
        units = offices[cursor:cursor + size]
        cursor += size + 1  # leave a vacant unit between tenants
        if not units:
            break
        starts_on = _lease_start(index) if index % 10 != 9 else datetime.date(2027, 1, 1)
        ends_on = starts_on.replace(year=starts_on.year + 3) - datetime.timedelta(days=1)
        area = sum(unit.leasable_area for unit in units)
        lease = Lease(
            number=number, tenant=tenant, starts_on=starts_on, ends_on=ends_on,
            rent_rate=Decimal("4.00") + Decimal(index % 9) / 4, rent_basis=Lease.RentBasis.PER_DAY,
            fee_rate=Decimal("22.00"), due_day=5,
            payment_cycle=Lease.Cycle.QUARTERLY if index % 4 == 3 else Lease.Cycle.MONTHLY,
        )
        lease.deposit_amount = (area * (lease.rent_rate * Decimal("365") / 12 + lease.fee_rate) * 3).quantize(
            Decimal("0.01")
        )
        lease.deposit_received_on = starts_on - datetime.timedelta(days=30)
        fit_out = LeaseFreePeriod(kind=LeaseFreePeriod.Kind.FIT_OUT, starts_on=starts_on - datetime.timedelta(days=30),
                                  ends_on=starts_on - datetime.timedelta(days=1))
        rent_free = LeaseFreePeriod(kind=LeaseFreePeriod.Kind.RENT_FREE, starts_on=starts_on,
                                    ends_on=add_months(starts_on, 1 + index % 3) - datetime.timedelta(days=1))
        escalation = LeaseEscalation(every_months=12, kind=LeaseEscalation.Kind.PERCENT, value=Decimal("3"))
        lease = lease_save(lease=lease, units=units, free_periods=[fit_out, rent_free],
                           escalations=[escalation] if index % 2 else [])
        signed_on = max(OPENING_DAY, min(starts_on - datetime.timedelta(days=45), datetime.date(2026, 10, 15)))
        lease_sign(lease=lease, signed_on=signed_on)
        if tenant.moved_in_on is None:
            tenant.moved_in_on = starts_on
            company_save(company=tenant)


PIPELINE_STAGES = (
    [Prospect.Stage.LEAD] * 5 + [Prospect.Stage.SITE_VISIT] * 4 + [Prospect.Stage.PROPOSAL] * 4
    + [Prospect.Stage.NEGOTIATING] * 3 + [Prospect.Stage.SIGNED] * 2 + [Prospect.Stage.LOST] * 2
)
_ACTIVITY_NOTES = [
    (ProspectActivity.Kind.CALL, "首次电话沟通，了解面积与预算需求。"),
    (ProspectActivity.Kind.VISIT, "陪同客户实地看房，关注层高与网络条件。"),
    (ProspectActivity.Kind.PROPOSAL, "发送报价方案：含免租期与物业费。"),
    (ProspectActivity.Kind.MEETING, "商务谈判：租金递增与装修期。"),
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_pipeline(*, building: Building, companies: list[TenantCompany]) -> None:
    """About twenty deals across the stages, on vacant office units (every figure a demo value).

    Dates are fixed so that, seen from late 2026, some deals are fresh and some are going stale.
    """
    if Prospect.objects.filter(is_demo=True).exists():
        return
    owner = get_user_model().objects.filter(username="staff").first()
    prospects = [c for c in companies if c.status in (TenantCompany.Status.PROSPECT, TenantCompany.Status.NEGOTIATING)]
    expanding = [c for c in companies if c.status == TenantCompany.Status.TENANT][: len(PIPELINE_STAGES)]
    candidates = (prospects + expanding)[: len(PIPELINE_STAGES)]
    vacant = list(
        Unit.objects.filter(building=building, use=Unit.Use.OFFICE)
        .with_occupancy(on=datetime.date(2026, 12, 31))
        .filter(occupancy_status=Unit.Status.VACANT)
        .order_by("-code")
    )
    for index, (company, stage) in enumerate(zip(candidates, PIPELINE_STAGES, strict=False)):
        units = vacant[index * 2: index * 2 + 1 + index % 2]
        created = datetime.date(2026, 5, 1) + datetime.timedelta(days=7 * index)
        prospect = prospect_save(prospect=Prospect(
            company=company, stage=stage, owner=owner, is_demo=True, created_at=_at(created),
            area_wanted=sum((unit.leasable_area for unit in units), Decimal("0")) or Decimal("200"),
            quoted_rent=Decimal("4.50") + Decimal(index % 5) / 2, rent_free_months=Decimal(1 + index % 3),
            lost_reason="选择了珠江新城的其他项目（演示）" if stage == Prospect.Stage.LOST else "",
            next_action="" if stage in (Prospect.Stage.SIGNED, Prospect.Stage.LOST) else "跟进报价与看房安排",
            next_action_on=None if stage in (Prospect.Stage.SIGNED, Prospect.Stage.LOST)
            else datetime.date(2026, 11, 10) + datetime.timedelta(days=3 * index),
        ))
        prospect.units_of_interest.set(units)
        prospect.floors_of_interest.set({unit.floor for unit in units})
        for step, (kind, note) in enumerate(_ACTIVITY_NOTES[: 1 + index % 4]):
            prospect_activity_save(activity=ProspectActivity(
                prospect=prospect, kind=kind, note=note, by=owner,
                happened_at=_at(created + datetime.timedelta(days=10 * step + 3)),
            ))



def seed_billing(*, on: datetime.date) -> None:
    """Issue the bills falling due by ``on`` and pay them, except that about one tenant in seven is
    behind by one to four bills, so the arrears report has something to age (demo values)."""
    bills_issue_due(on=on)
    open_bills = Bill.objects.open().filter(due_on__lte=on).select_related("company").order_by("company", "due_on")
    by_company: dict[TenantCompany, list[Bill]] = {}
    for bill in open_bills:
        by_company.setdefault(bill.company, []).append(bill)
    for company, bills in by_company.items():
        seed = int(company.credit_code[6:14])  # stable per company, so a second run decides the same
        behind = 1 + seed % 4 if seed % 7 == 3 else 0
        paid = bills[: len(bills) - behind]
        reference = f"DEMO-{company.credit_code}-{on.isoformat()}"
        if not paid or Payment.objects.filter(reference=reference).exists():
            continue
        payment_record(
            company=company, amount=sum(bill.amount - bill.amount_paid for bill in paid), received_on=on,
            method=Payment.Method.BANK_TRANSFER, reference=reference, note="演示数据 (demo payment)",
        )


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
        room = ApartmentRoom.objects.create(unit=unit, layout=layout, monthly_rent=Decimal(rent),
                                            deposit=Decimal(rent), rent_basis=ApartmentRoom.RentBasis.PER_BED)
        beds += [Bed.objects.create(room=room, label=label) for label in "AB"[:count]]
    tenants = list(TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).order_by("name"))
    for index, company in enumerate(tenants):
        ApartmentQuota.objects.create(company=company, beds=2 + index % 3, basis="每 150 ㎡ 租赁面积约 1 个床位（演示）",
                                      bill_to=ApartmentQuota.BillTo.RESIDENT if index % 5 == 4 else
                                      ApartmentQuota.BillTo.COMPANY)
    let = int(len(beds) * 0.8)
    for index, bed in enumerate(beds[:let]):
        company = tenants[index % len(tenants)]
        application = apartment_apply(application=ApartmentApplication(
            company=company, name=_RESIDENT_NAMES[index % len(_RESIDENT_NAMES)], id_number=demo_resident_id(index),
            phone=f"138{index:04d}{(index * 7919) % 10000:04d}", months=12,
            wanted_from=on - datetime.timedelta(days=30 * (index % 10)),
        ))
        allocation = application_approve(application=application, bed=bed)
        allocation.status = allocation.Status.CHECKED_IN if allocation.check_in <= on else allocation.Status.RESERVED
        allocation.save(update_fields=["status"])
    for index in range(4):
        apartment_apply(application=ApartmentApplication(
            company=tenants[(index * 3) % len(tenants)], name=_RESIDENT_NAMES[(index + 3) % len(_RESIDENT_NAMES)],
            id_number=demo_resident_id(500 + index), phone=f"139{index:08d}", months=6 + index,
            wanted_from=on + datetime.timedelta(days=14 * (index + 1)),
        ))
