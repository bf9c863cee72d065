"""Utility meters: readings checked and flagged, replacements, tariffs, shared consumption, and the
run that bills a period once — every figure computed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import Bill
from meters.models import (
    Meter,
    MeterReading,
    MeterShare,
    Tariff,
    TariffHours,
    TariffPrice,
    UtilityCharge,
    UtilityRun,
)
from meters.services import (
    _shares,
    meter_replace,
    reading_estimate,
    reading_record,
    reading_review,
    run_calculate,
    run_post,
    run_review,
    tariff_hours_check,
)

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time
OCT, NOV = D(2026, 10, 25), D(2026, 11, 20)


def meter(tower, serial, *, unit=0, kind="electricity", **fields):
    return Meter.objects.create(
        kind=kind,
        serial=serial,
        building=tower["building"],
        unit=None if unit is None else tower["units"][unit],
        installed_on=D(2025, 1, 1),
        **fields,
    )


def tariff(kind="electricity", method="flat", prices=(("total", None, "0.85"),), **fields):
    made = Tariff.objects.create(kind=kind, method=method, effective_from=D(2026, 1, 1), **fields)
    for band, up_to, price in prices:
        TariffPrice.objects.create(tariff=made, band=band, up_to=up_to, price=Decimal(price))
    return made


def run_for(tower):
    return UtilityRun.objects.create(building=tower["building"], period_start=D(2026, 10, 26), period_end=NOV)


def charges(run, **filters):
    return list(UtilityCharge.objects.filter(run=run, **filters).order_by("company_id", "meter_id"))


def test_a_ct_meter_with_loss_and_surcharge_is_billed_and_posted_once(tower, today, operations_user):
    tariff(loss_factor=Decimal("0.02"), surcharge=Decimal("0.05"))
    ct = meter(tower, "E-A", multiplier=Decimal("40"))
    reading_record(meter=ct, read_on=OCT, value=Decimal("1000.00"))
    reading = reading_record(meter=ct, read_on=NOV, value=Decimal("1012.50"))
    assert reading.consumption == Decimal("500.000")  # 12.5 on the register × CT 40
    run = run_calculate(run=run_for(tower))
    [charge] = charges(run)
    # 500 kWh + 2 % loss = 510 kWh; 510 × 0.85 = 433.50; surcharge 510 × 0.05 = 25.50
    assert (charge.company, charge.consumption, charge.amount) == (
        tower["companies"][0],
        Decimal("500"),
        Decimal("459.00"),
    )
    assert [line["amount"] for line in charge.explanation["lines"]] == ["433.50", "25.50"]
    assert charge.explanation["multiplier"] == "40.00" and charge.explanation["billed_units"] == "510.000"

    with pytest.raises(ValidationError, match="Only a calculated run|Review the run"):
        run_post(run=run)
    run_review(run=run)
    [bill] = run_post(run=run, posted_by=operations_user)
    [line] = bill.lines.all()
    # electricity at 13 %: net 459 / 1.13 = 406.194… → 406.19, VAT 52.81
    assert (bill.status, line.kind, line.amount, line.net_amount, line.tax_amount) == (
        "issued",
        "electricity",
        Decimal("459.00"),
        Decimal("406.19"),
        Decimal("52.81"),
    )
    assert UtilityCharge.objects.get(pk=charge.pk).bill == bill
    bills = Bill.objects.count()
    with pytest.raises(ValidationError, match="already posted"):
        run_post(run=run)
    with pytest.raises(ValidationError, match="is posted"):
        run_calculate(run=run)
    with pytest.raises(ValidationError, match="is posted"):
        reading_record(meter=ct, read_on=NOV - datetime.timedelta(days=1), value=Decimal("1013"))
    assert Bill.objects.count() == bills


def test_a_rollover_counts_through_zero_and_a_lower_reading_is_refused(tower, today):
    small = meter(tower, "W-A", kind="water", digits=4)
    reading_record(meter=small, read_on=OCT, value=Decimal("9990"))
    with pytest.raises(ValidationError, match="below the last reading, 9990"):
        reading_record(meter=small, read_on=NOV, value=Decimal("25"))
    with pytest.raises(ValidationError, match="rolled over reads less"):
        reading_record(meter=small, read_on=NOV, value=Decimal("9995"), rolled_over=True)
    assert MeterReading.objects.count() == 1
    reading = reading_record(meter=small, read_on=NOV, value=Decimal("25"), rolled_over=True)
    assert reading.consumption == Decimal("35")  # 10,000 − 9,990 + 25


def test_a_replacement_mid_period_loses_and_doubles_nothing(tower, today):
    tariff()
    old = meter(tower, "E-OLD")
    reading_record(meter=old, read_on=OCT, value=Decimal("500"))
    new = meter_replace(
        meter=old,
        on=D(2026, 11, 10),
        closing_values={"total": Decimal("620")},
        serial="E-NEW",
        opening_values={"total": Decimal("0")},
    )
    reading_record(meter=new, read_on=NOV, value=Decimal("80"))
    old.refresh_from_db()
    assert (old.removed_on, new.replaces, new.unit) == (D(2026, 11, 10), old, old.unit)
    with pytest.raises(ValidationError, match="not installed"):
        reading_record(meter=old, read_on=NOV, value=Decimal("700"))
    run = run_calculate(run=run_for(tower))
    # 120 on the old meter before the swap, 80 on the new one after: 200 kWh × 0.85
    assert [(c.meter.serial, c.consumption, c.amount) for c in charges(run)] == [
        ("E-OLD", Decimal("120"), Decimal("102.00")),
        ("E-NEW", Decimal("80"), Decimal("68.00")),
    ]


def test_time_of_use_bands_are_priced_each_at_its_price(tower, today):
    made = tariff(
        method="time_of_use", prices=(("peak", None, "1.20"), ("flat", None, "0.70"), ("valley", None, "0.27"))
    )
    for band, starts_at, ends_at in GUANGDONG_HOURS:
        TariffHours.objects.create(tariff=made, band=band, starts_at=starts_at, ends_at=ends_at)
    tou = meter(tower, "E-TOU", time_of_use=True)
    with pytest.raises(ValidationError, match="read per band"):
        reading_record(meter=tou, read_on=OCT, value=Decimal("1"))
    for band, before, after in (("peak", "100", "150"), ("flat", "200", "280"), ("valley", "300", "420")):
        reading_record(meter=tou, read_on=OCT, value=Decimal(before), band=band)
        reading_record(meter=tou, read_on=NOV, value=Decimal(after), band=band)
    [charge] = charges(run_calculate(run=run_for(tower)))
    # peak 50 × 1.20 = 60.00, flat 80 × 0.70 = 56.00, valley 120 × 0.27 = 32.40
    assert charge.amount == Decimal("148.40")
    assert [(line["units"], line["amount"]) for line in charge.explanation["lines"]] == [
        ("50.000", "60.00"),
        ("80.000", "56.00"),
        ("120.000", "32.40"),
    ]
    # the band hours, as data on the tariff, are printed on the charge's lines
    assert [line["label"] for line in charge.explanation["lines"]] == [
        "peak (峰) 10:00–12:00, 14:00–19:00",
        "flat (平) 08:00–10:00, 12:00–14:00, 19:00–24:00",
        "valley (谷) 00:00–08:00",
    ]


GUANGDONG_HOURS = [
    ("valley", T(0), T(8)),
    ("flat", T(8), T(10)),
    ("peak", T(10), T(12)),
    ("flat", T(12), T(14)),
    ("peak", T(14), T(19)),
    ("flat", T(19), T(0)),
]


def test_band_hours_must_cover_the_day_once():
    tariff_hours_check(GUANGDONG_HOURS)
    with pytest.raises(ValidationError, match="gap or overlap at 12:00"):
        tariff_hours_check([span for span in GUANGDONG_HOURS if span[1] != T(12)])
    with pytest.raises(ValidationError, match="gap or overlap at 09:00"):
        tariff_hours_check([*GUANGDONG_HOURS, ("peak", T(9), T(10))])
    with pytest.raises(ValidationError, match="stop at 19:00"):
        tariff_hours_check(GUANGDONG_HOURS[:-1])


def test_a_tiered_tariff_fills_each_tier_in_turn(tower, today):
    tariff(
        kind="water",
        method="tiered",
        prices=(("total", "10", "3.00"), ("total", "30", "4.00"), ("total", None, "5.00")),
    )
    water = meter(tower, "W-A", kind="water")
    reading_record(meter=water, read_on=OCT, value=Decimal("100"))
    reading_record(meter=water, read_on=NOV, value=Decimal("135"))
    [charge] = charges(run_calculate(run=run_for(tower)))
    # 35 m³: 10 × 3.00 + 20 × 4.00 + 5 × 5.00 = 30 + 80 + 25
    assert charge.amount == Decimal("135.00")
    assert [line["amount"] for line in charge.explanation["lines"]] == ["30.00", "80.00", "25.00"]


def test_shared_consumption_is_split_by_leased_area_with_the_rule_saved(tower, today):
    tariff()
    lobby = meter(tower, "E-LOBBY", unit=None, shared_area="大堂")
    main = meter(tower, "E-MAIN", unit=None)
    sub = meter(tower, "E-A", parent=main)
    for device, before, after in ((lobby, "0", "1000"), (main, "0", "520"), (sub, "0", "500")):
        reading_record(meter=device, read_on=OCT, value=Decimal(before))
        reading_record(meter=device, read_on=NOV, value=Decimal(after))
    run = run_calculate(run=run_for(tower))
    a, b = tower["companies"]
    shared = charges(run, source="shared")
    # the lobby: 1,000 kWh × 0.85 = 850.00, by area 100 : 300 → 212.50 and 637.50;
    # the main meter's loss beyond its sub-meter: 520 − 500 = 20 kWh × 0.85 = 17.00 → 4.25 and 12.75
    assert sorted((c.company == a, c.meter.serial, c.amount) for c in shared) == [
        (False, "E-LOBBY", Decimal("637.50")),
        (False, "E-MAIN", Decimal("12.75")),
        (True, "E-LOBBY", Decimal("212.50")),
        (True, "E-MAIN", Decimal("4.25")),
    ]
    lobby_a = next(c for c in shared if c.company == a and c.meter == lobby)
    assert (lobby_a.explanation["rule"], lobby_a.explanation["weight"], lobby_a.explanation["total_weight"]) == (
        "leased_area",
        "100.00",
        "400.00",
    )
    assert lobby_a.explanation["share"] == "0.250000"
    [own] = charges(run, source="meter")
    assert (own.company, own.amount) == (a, Decimal("425.00"))  # its own 500 kWh
    assert b in {c.company for c in shared}


def lobby_read(tower, **fields):
    tariff()
    lobby = meter(tower, "E-LOBBY", unit=None, shared_area="大堂", **fields)
    reading_record(meter=lobby, read_on=OCT, value=Decimal("0"))
    reading_record(meter=lobby, read_on=NOV, value=Decimal("1000"))
    return lobby


def test_shared_consumption_by_headcount_needs_every_tenants_headcount(tower, today):
    lobby_read(tower, allocation="headcount")
    a, b = tower["companies"]
    a.headcount = 30
    a.save()
    run = run_for(tower)
    with pytest.raises(ValidationError, match=f"no headcount: {b.name}"):
        run_calculate(run=run)
    b.headcount = 10
    b.save()
    run = run_calculate(run=run)
    # 1,000 kWh × 0.85 = 850.00 by heads 30 : 10 → 637.50 and 212.50 (the area would say the opposite)
    assert [(c.company, c.amount, c.consumption) for c in charges(run)] == [
        (a, Decimal("637.50"), Decimal("750.000")),
        (b, Decimal("212.50"), Decimal("250.000")),
    ]
    assert {key: charges(run)[0].explanation[key] for key in ("rule", "weight", "total_weight", "share")} == {
        "rule": "headcount",
        "weight": "30",
        "total_weight": "40",
        "share": "0.750000",
    }


def test_shared_consumption_by_fixed_shares_uses_the_meters_shares(tower, today):
    lobby = lobby_read(tower, allocation="fixed_shares")
    run = run_for(tower)
    with pytest.raises(ValidationError, match="fixed shares, but it has none"):
        run_calculate(run=run)
    a, b = tower["companies"]
    MeterShare.objects.create(meter=lobby, company=a, weight=Decimal("1"))
    MeterShare.objects.create(meter=lobby, company=b, weight=Decimal("2"))
    run = run_calculate(run=run)
    # 850.00 in thirds: 283.333… and 566.666… → 283.33 and 566.67 (the odd fen to the larger remainder)
    assert [(c.company, c.amount, c.explanation["rule"], c.explanation["share"]) for c in charges(run)] == [
        (a, Decimal("283.33"), "fixed_shares", "0.333333"),
        (b, Decimal("566.67"), "fixed_shares", "0.666667"),
    ]


def test_shares_add_up_to_the_fen():
    assert _shares(Decimal("100.00"), {1: Decimal(1), 2: Decimal(1), 3: Decimal(1)}) == {
        1: Decimal("33.34"),
        2: Decimal("33.33"),
        3: Decimal("33.33"),
    }


def test_an_estimate_is_trued_up_by_the_next_real_reading(tower, today):
    device = meter(tower, "E-EST")
    for day, value in ((D(2026, 8, 25), "0"), (D(2026, 9, 25), "300"), (OCT, "600")):
        reading_record(meter=device, read_on=day, value=Decimal(value))
    estimate = reading_estimate(meter=device, read_on=D(2026, 11, 25))
    # usual: 600 kWh over 61 days; 31 days of that = 304.918 kWh
    assert (estimate.is_estimate, estimate.consumption, estimate.value) == (
        True,
        Decimal("304.918"),
        Decimal("904.918"),
    )
    real = reading_record(meter=device, read_on=D(2026, 12, 25), value=Decimal("850"))
    assert real.consumption == Decimal("-54.918")  # the estimate ran 54.918 kWh ahead
    assert estimate.consumption + real.consumption == Decimal("250")  # 850 − 600, as read


def test_a_spike_is_flagged_and_blocks_posting_until_checked(tower, today):
    tariff()
    device = meter(tower, "E-SPIKE")
    for day, value in ((D(2026, 7, 25), "0"), (D(2026, 8, 25), "100"), (D(2026, 9, 25), "200"), (OCT, "300")):
        reading_record(meter=device, read_on=day, value=Decimal(value))
    spike = reading_record(meter=device, read_on=NOV, value=Decimal("1300"))
    assert spike.flag == "spike" and "a day where it usually uses" in spike.flag_note
    run = run_calculate(run=run_for(tower))
    with pytest.raises(ValidationError, match="Check these readings first: 电力 E-SPIKE|Check these readings first"):
        run_review(run=run)
    assert not Bill.objects.filter(lines__kind="electricity").exists()
    with pytest.raises(ValidationError, match="Say what the check found"):
        reading_review(reading=spike, note=" ")
    reading_review(reading=spike, note="租户新增服务器机房，已现场核实")
    run_review(run=run)
    [bill] = run_post(run=run)
    assert bill.amount == Decimal("850.00")  # 1,000 kWh × 0.85


def readings_csv(*rows: str) -> bytes:
    return ("\r\n".join(["表号,抄表日期,时段,读数,翻转", *rows])).encode("gb18030")


def test_a_readings_file_is_imported_with_bands_and_rollovers(tower, today):
    from meters.services import readings_import

    small = meter(tower, "W-A", kind="water", digits=4)
    tou = meter(tower, "E-TOU", time_of_use=True, unit=1)
    imported = readings_import(
        content=readings_csv(
            "W-A,2026-10-25,,9990,",
            "W-A,2026-11-20,,25,是",
            "E-TOU,2026-10-25,峰,100,",
            "E-TOU,2026-11-20,峰,150,",
            "E-TOU,2026-10-25,谷,300,",
            "E-TOU,2026-11-20,谷,420,",
        )
    )
    assert len(imported) == 6
    assert MeterReading.objects.get(meter=small, read_on=NOV).consumption == Decimal("35")
    assert MeterReading.objects.get(meter=tou, read_on=NOV, band="valley").consumption == Decimal("120")


def test_a_bad_readings_file_names_every_bad_row_and_changes_nothing(tower, today):
    from meters.services import readings_import

    meter(tower, "W-A", kind="water")
    meter(tower, "E-TOU", time_of_use=True, unit=1)
    with pytest.raises(ValidationError) as refused:
        readings_import(
            content=readings_csv(
                "W-A,2026-10-25,,100,",
                "W-A,2026-11-20,,90,",  # below the last, no rollover
                "W-X,2026-11-20,,1,",  # no such meter
                "E-TOU,2026-13-01,峰,1,",  # no such day
                "E-TOU,2026-11-20,,1,",  # a time-of-use meter needs its band
                "E-TOU,2026-11-20,峰,abc,",
            )
        )
    messages = refused.value.messages
    assert [message.split(":")[0] for message in messages] == ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"]
    assert "below the last reading, 100" in messages[0] and "no meter has the serial number W-X" in messages[1]
    assert "not a date" in messages[2] and "read per band" in messages[3] and "not a register reading" in messages[4]
    assert MeterReading.objects.count() == 0
    with pytest.raises(ValidationError, match="Row 1: the columns 读数 are missing"):
        readings_import(content="表号,抄表日期\r\nW-A,2026-10-25".encode())


def test_a_company_whose_true_up_nets_below_nothing_stops_the_review(tower, today):
    tariff()
    device = meter(tower, "E-EST")
    for day, value in ((D(2026, 8, 25), "0"), (D(2026, 9, 25), "300"), (D(2026, 10, 20), "600")):
        reading_record(meter=device, read_on=day, value=Decimal(value))
    reading_estimate(meter=device, read_on=OCT)  # runs ahead: about 60 kWh for 5 days
    reading_record(meter=device, read_on=NOV, value=Decimal("610"))  # 10 kWh since 10-20: the period nets below 0
    run = run_calculate(run=run_for(tower))
    [charge] = charges(run)
    assert charge.amount < 0
    with pytest.raises(ValidationError, match="less than nothing"):
        run_review(run=run)
    assert UtilityRun.objects.get(pk=run.pk).status == "calculated"
