import datetime
from decimal import Decimal

import pytest

from leases.services import lease_create, lease_sign
from tests.factories import FloorFactory, TenantCompanyFactory, UnitFactory

D = datetime.date


@pytest.fixture
def today(monkeypatch):
    """The day the billing tests run on, as the services read it."""
    day = datetime.date(2026, 11, 24)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    return day


@pytest.fixture
def tower(today):
    """A floor with two let units: A's 100 m², B's 300 m²."""
    floor = FloorFactory()
    units, companies = [], []
    for code, area in (("A", "100"), ("B", "300")):
        unit = UnitFactory(floor=floor, code=code, leasable_area=Decimal(area))
        company = TenantCompanyFactory()
        lease = lease_create(
            number=f"L-{code}",
            tenant=company,
            units=[unit],
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            rent_rate=Decimal("100"),
            rent_basis="per_month",
        )
        lease_sign(lease=lease, signed_on=D(2025, 12, 1))
        units.append(unit)
        companies.append(company)
    return {"building": floor.building, "floor": floor, "units": units, "companies": companies}
