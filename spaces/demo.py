"""Demo data for the space inventory: the real tower with a demo floor plan.

The building's name, place, 116,000 m² and 149.95 m are facts; the storeys, floor areas and units
are demo values chosen to be plausible, and are marked as such.
"""

from decimal import Decimal

from .models import Building, Floor, Unit
from .services import building_save, floor_save

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


def _floor_plan() -> list[dict]:
    """Floors from B3 to 32F whose gross areas add up to the tower's 116,000 m² (demo values)."""
    use, unit_use = Floor.Use, Unit.Use
    plan = [
        {
            "sort_order": -level,
            "label": f"B{level}",
            "main_use": use.PLANT if level == 1 else use.PARKING,
            "gross_area": Decimal("5000"),
            "leasable_area": Decimal("0"),
            "units": [],
        }
        for level in (3, 2, 1)
    ]
    plan += [
        {
            "sort_order": 1,
            "label": "1F",
            "main_use": use.RETAIL,
            "gross_area": Decimal("3600"),
            "leasable_area": Decimal("1100"),
            "units": [
                ("0101", unit_use.RETAIL, 320),
                ("0102", unit_use.RETAIL, 280),
                ("0103", unit_use.RETAIL, 260),
                ("0104", unit_use.AMENITY, 240),
            ],
        },
        {
            "sort_order": 2,
            "label": "2F",
            "main_use": use.HALL,
            "gross_area": Decimal("3600"),
            "leasable_area": Decimal("2400"),
            "units": [
                ("0201", unit_use.HALL, 1200),
                ("0202", unit_use.HALL, 600),
                ("0203", unit_use.HALL, 300),
                ("0204", unit_use.HALL, 300),
            ],
        },
        {
            "sort_order": 3,
            "label": "3F",
            "main_use": use.HALL,
            "gross_area": Decimal("3600"),
            "leasable_area": Decimal("2300"),
            "units": [("0301", unit_use.AMENITY, 900), ("0302", unit_use.HALL, 800), ("0303", unit_use.OFFICE, 600)],
        },
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
        plan.append(
            {
                "sort_order": level,
                "label": f"{level}F",
                "main_use": main_use,
                "gross_area": TYPICAL_GROSS,
                "leasable_area": leasable,
                "units": units,
            }
        )
    crown = TOWER["gross_floor_area"] - sum(floor["gross_area"] for floor in plan)
    plan.append(
        {
            "sort_order": 32,
            "label": "32F",
            "main_use": use.AMENITY,
            "gross_area": crown,
            "leasable_area": Decimal("800"),
            "units": [("3201", unit_use.AMENITY, 800)],
        }
    )
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
