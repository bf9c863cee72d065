from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from spaces.models import Floor, Unit
from spaces.services import floor_save, unit_save
from tests.factories import BuildingFactory, FloorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_floor_with_leasable_area_above_gross_is_refused_and_not_saved():
    building = BuildingFactory()
    floor = Floor(
        building=building, sort_order=1, label="1F", gross_area=Decimal("1000"), leasable_area=Decimal("1200")
    )
    with pytest.raises(ValidationError) as error:
        floor_save(floor=floor)
    assert "The leasable area must lie between zero and the gross area." in error.value.messages
    assert Floor.objects.count() == 0


def test_negative_gross_area_is_refused():
    floor = Floor(building=BuildingFactory(), sort_order=1, label="1F", gross_area=Decimal("-5"), leasable_area=0)
    with pytest.raises(ValidationError) as error:
        floor_save(floor=floor)
    assert "The gross area must be positive." in error.value.messages


def test_database_refuses_leasable_above_gross_even_without_the_service():
    building = BuildingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Floor.objects.create(building=building, sort_order=1, label="1F", gross_area=100, leasable_area=101)


def test_database_refuses_a_unit_without_area():
    floor = FloorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=floor.building, floor=floor, code="0101", leasable_area=0)


def test_database_refuses_two_units_with_one_code_in_a_building():
    first = UnitFactory(code="0101")
    other_floor = FloorFactory(building=first.building)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=first.building, floor=other_floor, code="0101", leasable_area=10)


def test_same_unit_code_is_fine_in_another_building():
    UnitFactory(code="0101")
    unit = unit_save(unit=Unit(floor=FloorFactory(), code="0101", leasable_area=Decimal("50")))
    assert unit.pk and unit.building == unit.floor.building


def test_units_may_not_exceed_the_floors_leasable_area():
    floor = FloorFactory(leasable_area=Decimal("300"))
    UnitFactory(floor=floor, leasable_area=Decimal("200"))
    with pytest.raises(ValidationError) as error:
        unit_save(unit=Unit(floor=floor, code="X2", leasable_area=Decimal("150")))
    assert error.value.message_dict["leasable_area"] == [
        f"The units on floor {floor.label} would cover 350.00 m², more than its leasable area of 300.00 m²."
    ]
    assert floor.units.count() == 1


def test_floor_area_cannot_shrink_below_its_units():
    floor = FloorFactory(leasable_area=Decimal("300"))
    UnitFactory(floor=floor, leasable_area=Decimal("250"))
    floor.leasable_area = Decimal("200")
    with pytest.raises(ValidationError):
        floor_save(floor=floor)
    floor.refresh_from_db()
    assert floor.leasable_area == Decimal("300.00")


def test_floor_and_units_change_together_when_the_final_state_fits():
    floor = FloorFactory(leasable_area=Decimal("300"))
    big = UnitFactory(floor=floor, code="A", leasable_area=Decimal("250"))
    big.leasable_area = Decimal("100")
    floor.leasable_area = Decimal("220")
    floor_save(floor=floor, units=[big, Unit(code="B", leasable_area=Decimal("120"))])
    assert sorted(floor.units.values_list("code", "leasable_area")) == [
        ("A", Decimal("100.00")),
        ("B", Decimal("120.00")),
    ]


def test_repeated_codes_in_one_save_are_refused_before_anything_is_written():
    floor = FloorFactory()
    with pytest.raises(ValidationError) as error:
        floor_save(floor=floor, units=[Unit(code="A", leasable_area=1), Unit(code="A", leasable_area=1)])
    assert "A" in error.value.message_dict["code"][0]
    assert floor.units.count() == 0
