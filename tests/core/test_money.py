"""Amounts in Chinese capitals (大写), as receipts and bills print them."""

from decimal import Decimal

import pytest

from core.money import amount_in_capitals


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("0.00", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("10.00", "壹拾元整"),
        ("10.05", "壹拾元零伍分"),
        ("100.50", "壹佰元伍角整"),
        ("1005.00", "壹仟零伍元整"),
        ("1010.00", "壹仟零壹拾元整"),
        ("100000.00", "壹拾万元整"),
        ("100001.00", "壹拾万零壹元整"),
        ("10500.00", "壹万零伍佰元整"),
        ("70991.67", "柒万零玖佰玖拾壹元陆角柒分"),
        ("200000000.10", "贰亿元壹角整"),
        ("300000500.00", "叁亿零伍佰元整"),
        ("123456789.01", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
        ("-88.80", "负捌拾捌元捌角整"),
    ],
)
def test_amounts_read_as_banks_require(amount, capitals):
    assert amount_in_capitals(Decimal(amount)) == capitals
