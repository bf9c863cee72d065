import datetime
from decimal import Decimal

import pytest

from tests.factories import BuildingFactory, FloorFactory, UnitFactory

from .helpers import signed

D = datetime.date


@pytest.fixture
def tower():
    """Four units of 100 m² on two floors; U1 let all along, U2 let from mid-October 2026."""
    building = BuildingFactory(code="T", name_zh="测试大厦")
    units = []
    for level in (1, 2):
        floor = FloorFactory(
            building=building,
            sort_order=level,
            label=f"{level}F",
            gross_area=Decimal("500"),
            leasable_area=Decimal("200"),
        )
        units += [
            UnitFactory(floor=floor, building=building, code=f"{level}0{n}", leasable_area=Decimal("100"))
            for n in (1, 2)
        ]
    signed("A", [units[0]], D(2026, 1, 1), D(2029, 12, 31), rent_rate=Decimal("100"), rent_basis="per_month")
    signed("B", [units[1]], D(2026, 10, 15), D(2027, 12, 31), rent_rate=Decimal("4"), rent_basis="per_day")
    return building
