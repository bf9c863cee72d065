import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leases.models import Lease, LeaseUnit
from leases.services import lease_create, lease_sign
from spaces.models import Unit
from tests.conftest import race, requires_postgres
from tests.factories import TenantCompanyFactory, UnitFactory

D = datetime.date


def signed_lease(number, unit, starts_on, ends_on, tenant=None):
    lease = lease_create(
        number=number, tenant=tenant or TenantCompanyFactory(), units=[unit], starts_on=starts_on, ends_on=ends_on
    )
    return lease_sign(lease=lease, signed_on=starts_on)


@pytest.mark.django_db
def test_signing_an_overlapping_lease_is_refused_with_the_conflicting_slot():
    unit = UnitFactory(code="1203")
    first = signed_lease("L-1", unit, D(2025, 4, 1), D(2028, 3, 31), tenant=TenantCompanyFactory(short_name="酷狗音乐"))
    second = lease_create(
        number="L-2", tenant=TenantCompanyFactory(), units=[unit], starts_on=D(2028, 3, 31), ends_on=D(2030, 3, 30)
    )
    with pytest.raises(ValidationError) as error:
        lease_sign(lease=second, signed_on=D(2025, 6, 1))
    assert error.value.message_dict["units"] == [
        "Unit 1203 is already let to 酷狗音乐 under lease L-1 from 2025-04-01 to 2028-03-31."
    ]
    second.refresh_from_db()
    assert second.status == Lease.Status.DRAFT
    assert list(LeaseUnit.objects.filter(is_binding=True).values_list("lease", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_back_to_back_leases_are_fine():
    unit = UnitFactory()
    signed_lease("L-1", unit, D(2025, 4, 1), D(2028, 3, 31))
    second = signed_lease("L-2", unit, D(2028, 4, 1), D(2031, 3, 31))
    assert second.status != Lease.Status.DRAFT


@pytest.mark.django_db
def test_draft_leases_may_overlap_until_one_is_signed():
    unit = UnitFactory()
    a = lease_create(
        number="A", tenant=TenantCompanyFactory(), units=[unit], starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31)
    )
    b = lease_create(
        number="B", tenant=TenantCompanyFactory(), units=[unit], starts_on=D(2026, 6, 1), ends_on=D(2027, 5, 31)
    )
    lease_sign(lease=a, signed_on=D(2025, 12, 1))
    with pytest.raises(ValidationError):
        lease_sign(lease=b, signed_on=D(2025, 12, 2))


@pytest.mark.django_db
def test_lease_ending_before_it_starts_is_refused_and_not_written():
    with pytest.raises(ValidationError) as error:
        lease_create(
            number="X",
            tenant=TenantCompanyFactory(),
            units=[UnitFactory()],
            starts_on=D(2026, 1, 2),
            ends_on=D(2026, 1, 1),
        )
    assert "A lease cannot end before it starts." in error.value.messages
    assert Lease.objects.count() == 0 and LeaseUnit.objects.count() == 0


@requires_postgres
@pytest.mark.django_db
def test_database_refuses_overlapping_binding_lease_units_when_the_service_is_bypassed():
    unit = UnitFactory()
    signed_lease("L-1", unit, D(2025, 4, 1), D(2028, 3, 31))
    other = Lease.objects.create(
        number="L-2", tenant=TenantCompanyFactory(), starts_on=D(2027, 1, 1), ends_on=D(2029, 1, 1)
    )
    with pytest.raises(IntegrityError, match="lease_unit_no_overlap"), transaction.atomic():
        LeaseUnit.objects.create(
            lease=other, unit=unit, starts_on=D(2027, 1, 1), ends_on=D(2029, 1, 1), is_binding=True
        )


@requires_postgres
@pytest.mark.django_db
def test_model_validation_reports_the_exclusion_constraint_on_postgresql():
    unit = UnitFactory()
    signed_lease("L-1", unit, D(2025, 4, 1), D(2028, 3, 31))
    other = Lease.objects.create(
        number="L-2", tenant=TenantCompanyFactory(), starts_on=D(2027, 1, 1), ends_on=D(2029, 1, 1)
    )
    row = LeaseUnit(lease=other, unit=unit, starts_on=D(2027, 1, 1), ends_on=D(2029, 1, 1), is_binding=True)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "This unit is already let for overlapping dates." in error.value.messages


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signings_for_one_unit_let_exactly_one_win():
    unit = UnitFactory()
    leases = [
        lease_create(
            number=f"R-{n}",
            tenant=TenantCompanyFactory(),
            units=[unit],
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
        )
        for n in range(6)
    ]
    outcomes = race(lambda lease: lease_sign(lease=lease, signed_on=D(2025, 12, 1)), leases, refused=ValidationError)
    assert outcomes == ["refused"] * 5 + ["won"]
    assert Lease.objects.binding().count() == 1
    assert LeaseUnit.objects.filter(unit=unit, is_binding=True).count() == 1


@pytest.mark.django_db
def test_unit_status_follows_from_leases():
    today = D(2026, 6, 15)
    leased, reserved, vacant, draft_only = (UnitFactory() for _ in range(4))
    signed_lease("NOW", leased, D(2026, 1, 1), D(2026, 12, 31))
    signed_lease("LATER", reserved, D(2027, 1, 1), D(2027, 12, 31))
    signed_lease("PAST", vacant, D(2025, 1, 1), D(2025, 12, 31))
    lease_create(
        number="DRAFT",
        tenant=TenantCompanyFactory(),
        units=[draft_only],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    status = dict(Unit.objects.with_occupancy(on=today).values_list("pk", "occupancy_status"))
    assert status == {
        leased.pk: Unit.Status.LEASED,
        reserved.pk: Unit.Status.RESERVED,
        vacant.pk: Unit.Status.VACANT,
        draft_only.pk: Unit.Status.VACANT,
    }
