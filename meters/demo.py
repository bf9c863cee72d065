"""Demo meters for the tower: an electricity and a water meter in every let office unit (sub-meters of
the building's main meters), a shared lobby meter, a year of readings — with a water register that
rolls over, an electricity meter replaced mid-year and a spike in the last month — tariffs, and the
last full period posted (demo values)."""

import datetime
from decimal import Decimal

from leases.models import LeaseUnit
from spaces.models import Building

from .models import Meter, Tariff, TariffPrice, UtilityRun
from .services import meter_replace, readings_import, run_calculate, run_post, run_review

MONTHS = 12


def _months_back(day: datetime.date, months: int) -> datetime.date:
    """The 25th of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 25)


def _tariffs() -> None:
    start = datetime.date(2025, 1, 1)
    for kind, price, loss in (("electricity", "0.9500", "0.02"), ("water", "5.6000", "0")):
        tariff, created = Tariff.objects.get_or_create(
            kind=kind, effective_from=start, defaults={"method": "flat", "loss_factor": Decimal(loss)}
        )
        if created:
            TariffPrice.objects.create(tariff=tariff, price=Decimal(price))


def seed_meters(*, building: Building, on: datetime.date) -> None:
    """Seed once: a second run finds the main meter and leaves everything as it is."""
    _tariffs()
    if Meter.objects.filter(building=building, serial=f"{building.code}-E-MAIN").exists():
        return
    installed = _months_back(on, MONTHS + 1)
    main = {
        kind: Meter.objects.create(
            kind=kind, serial=f"{building.code}-{kind[0].upper()}-MAIN", building=building, installed_on=installed
        )
        for kind in ("electricity", "water")
    }
    lobby = Meter.objects.create(
        kind="electricity",
        serial=f"{building.code}-E-LOBBY",
        building=building,
        shared_area="大堂及公共照明",
        installed_on=installed,
    )
    let = list(
        LeaseUnit.objects.filter(unit__building=building, is_binding=True, starts_on__lte=on, ends_on__gte=on)
        .select_related("unit")
        .order_by("unit__code")
    )
    unit_meters = []
    for index, held in enumerate(let):
        unit = held.unit
        for kind, digits in (("electricity", 6), ("water", 4 if index == 0 else 5)):
            unit_meters.append(
                Meter.objects.create(
                    kind=kind,
                    serial=f"{building.code}-{kind[0].upper()}-{unit.code}",
                    building=building,
                    unit=unit,
                    parent=main[kind],
                    digits=digits,
                    multiplier=Decimal("20") if kind == "electricity" and index % 9 == 0 else Decimal("1"),
                    installed_on=installed,
                )
            )
    days = [_months_back(on, MONTHS - month) for month in range(MONTHS + 1)]
    days = [day for day in days if day < on]
    registers = {meter.pk: Decimal("9900") if meter.digits == 4 else Decimal("1000") for meter in unit_meters}
    replaced = unit_meters[2] if len(unit_meters) > 2 else None
    for step, day in enumerate(days):
        rows = ["表号,抄表日期,读数,翻转"]
        main_used = {"electricity": Decimal("0"), "water": Decimal("0")}
        for meter in unit_meters:
            if replaced is not None and meter.pk == replaced.pk and step == len(days) // 2:
                replaced = meter_replace(
                    meter=meter,
                    on=day - datetime.timedelta(days=10),
                    closing_values={"total": registers[meter.pk] + 80},
                    serial=f"{meter.serial}-N",
                    opening_values={"total": Decimal("0")},
                )
                registers[replaced.pk] = Decimal("0")
                unit_meters[unit_meters.index(meter)] = replaced
                meter = replaced
            area = meter.unit.leasable_area
            per_month = area * (Decimal("8") if meter.kind == "electricity" else Decimal("0.06"))
            used = (per_month * (Decimal("0.9") + Decimal(step % 4) / 10) / meter.multiplier).quantize(Decimal("0.01"))
            if step == len(days) - 1 and meter is unit_meters[1]:
                used *= 6  # the spike staff check before the last period bills
            value, rolled = registers[meter.pk] + used if step else registers[meter.pk], False
            if value >= meter.rollover:
                value, rolled = value - meter.rollover, True
            registers[meter.pk] = value
            rows.append(f"{meter.serial},{day.isoformat()},{value},{'是' if rolled else ''}")
            main_used[meter.kind] += used * meter.multiplier if step else 0
        for kind, meter in main.items():
            registers.setdefault(meter.pk, Decimal("50000"))
            registers[meter.pk] += (main_used[kind] * Decimal("1.03")).quantize(Decimal("0.01"))
            rows.append(f"{meter.serial},{day.isoformat()},{registers[meter.pk]},")
        registers.setdefault(lobby.pk, Decimal("20000"))
        registers[lobby.pk] += Decimal("1800") if step else 0
        rows.append(f"{lobby.serial},{day.isoformat()},{registers[lobby.pk]},")
        readings_import(content="\r\n".join(rows).encode())
    if len(days) >= 3:
        run = UtilityRun.objects.create(
            building=building, period_start=days[-3] + datetime.timedelta(days=1), period_end=days[-2]
        )
        run_review(run=run_calculate(run=run))
        run_post(run=run)
        UtilityRun.objects.create(
            building=building, period_start=days[-2] + datetime.timedelta(days=1), period_end=days[-1]
        )
