"""Values lists convert each column as its serializer field would (parkops/api/lists.py)."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers

from parkops.api.lists import column_converter


def representation(field, value):
    convert = column_converter(field)
    return value if convert is None else convert(value)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.IntegerField(), [0, 7, -3]),
        (serializers.BigIntegerField(), [2**40]),
        (serializers.BigIntegerField(coerce_to_string=True), [2**40]),
        (serializers.CharField(), ["LDC-17", "岭南数字创意大厦", ""]),
        (serializers.ChoiceField(choices=[("active", "Active"), ("expired", "Expired")]), ["active", "expired"]),
        (serializers.ChoiceField(choices=[(1, "one"), (2, "two")]), [1, 2]),
        (serializers.DateField(), [datetime.date(2026, 11, 24), datetime.date(1999, 1, 1)]),
        (serializers.DateField(format="%d/%m/%Y"), [datetime.date(2026, 11, 24)]),
        (serializers.DecimalField(max_digits=12, decimal_places=2),
         [Decimal("216488.12"), Decimal("0.00"), Decimal("-5.10"),
          Decimal("4.255"), Decimal("7"), Decimal("1E+3")]),  # the last three are rounded, as DRF does
        (serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False), [Decimal("4.25")]),
        (serializers.DecimalField(max_digits=12, decimal_places=2, normalize_output=True), [Decimal("4.50")]),
    ],
)
def test_a_column_converts_exactly_as_its_serializer_field(field, values):
    for value in values:
        converted = representation(field, value)
        assert converted == field.to_representation(value)
        assert type(converted) is type(field.to_representation(value))


def test_conversions_that_change_a_value_are_kept():
    assert column_converter(serializers.BigIntegerField(coerce_to_string=True))(2**40) == str(2**40)
    assert column_converter(serializers.DateField())(datetime.date(2026, 11, 24)) == "2026-11-24"
    money = column_converter(serializers.DecimalField(max_digits=12, decimal_places=2))
    assert (money(Decimal("216488.12")), money(Decimal("4.255")), money(Decimal("7"))) == ("216488.12", "4.26", "7.00")
