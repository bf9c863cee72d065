"""Writes to meters: readings (checked, flagged, estimated), replacements, and the utility run that
turns a period's consumption into charges and posts them to the tenants' bills through billing."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.models import Bill
from billing.services import BillDraft, LineDraft, bill_credit, bill_issue, bill_schedule
from core.db import bulk_insert
from core.money import FEN
from core.tables import parse_day, row_error, table_rows
from core.uploads import reencoded_image
from leases.models import LeaseUnit
from notifications.events import Event
from notifications.services import notify
from tenants.models import TenantCompany

from .models import (
    Allocation,
    Band,
    ChargeDispute,
    Meter,
    MeterReading,
    MeterShare,
    Tariff,
    UtilityCharge,
    UtilityRun,
)

ZERO = Decimal("0")
UNIT = Decimal("0.001")  # consumption is kept to a thousandth of a kWh or m³
TRAILING_READINGS = 3  # how many earlier readings make a meter's usual consumption


@dataclass(frozen=True, slots=True)
class MeterFacts:
    """What the checks and the run read of a meter, without a model instance: a month's import or
    a portfolio's runs hold tens of thousands of them."""

    pk: int
    kind: str
    serial: str
    building_id: int
    unit_id: int | None
    unit_code: str | None
    shared_area: str
    parent_id: int | None
    multiplier: Decimal
    digits: int
    time_of_use: bool
    allocation: str
    installed_on: datetime.date
    removed_on: datetime.date | None

    @property
    def rollover(self) -> Decimal:
        return Decimal(10) ** self.digits


FACT_FIELDS = [
    "pk",
    "kind",
    "serial",
    "building_id",
    "unit_id",
    "unit__code",
    "shared_area",
    "parent_id",
    "multiplier",
    "digits",
    "time_of_use",
    "allocation",
    "installed_on",
    "removed_on",
]


@dataclass(slots=True)
class Past:
    """An earlier reading, as the checks of the next one read it."""

    read_on: datetime.date
    value: Decimal
    consumption: Decimal
    is_estimate: bool


def _meter_facts(meters) -> list[MeterFacts]:
    return [MeterFacts(*row) for row in meters.values_list(*FACT_FIELDS)]


def _money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _locked_meter(meter: Meter) -> Meter:
    return Meter.objects.select_for_update().get(pk=meter.pk)


def _posted_through(building_id: int, day: datetime.date) -> UtilityRun | None:
    return UtilityRun.objects.filter(
        building_id=building_id, status=UtilityRun.Status.POSTED, period_start__lte=day, period_end__gte=day
    ).first()


def _usual_daily(history: list[MeterReading]) -> Decimal | None:
    """Consumption per day over the last actual readings of ``history`` (latest first)."""
    readings = [reading for reading in history if not reading.is_estimate][: TRAILING_READINGS + 1]
    if len(readings) < 2:
        return None
    days = (readings[0].read_on - readings[-1].read_on).days
    used = sum((reading.consumption for reading in readings[:-1]), ZERO)
    return used / days if days else None


def _history(meter: Meter, band: str) -> list[MeterReading]:
    """The meter's latest readings of ``band``, latest first: enough to check and flag the next."""
    return list(meter.readings.filter(band=band).order_by("-read_on")[: TRAILING_READINGS + 2])


def _placed(meter: Meter, read_on: datetime.date, band: str, history: list[MeterReading], posted) -> None:
    """Refuse a reading the meter cannot have on that day."""
    if read_on < meter.installed_on or (meter.removed_on and read_on > meter.removed_on):
        raise ValidationError({"read_on": _("The meter was not installed on that day.")})
    if meter.time_of_use == (band == Band.TOTAL):
        raise ValidationError({"band": _("A time-of-use meter is read per band; any other meter as a total.")})
    if posted is not None:
        raise ValidationError(
            {"read_on": _("The run %(run)s is posted: correct its charges with a credit note.") % {"run": posted}}
        )
    if history and history[0].read_on >= read_on:
        raise ValidationError({"read_on": _("The meter has a reading on or after that day: readings go in order.")})


def _reading(
    meter: Meter, read_on: datetime.date, band: str, value: Decimal, rolled_over: bool, history: list[MeterReading]
) -> MeterReading:
    """The next reading of a meter after ``history`` (latest first), its consumption and its flag."""
    previous = history[0] if history else None
    consumption = ZERO
    if previous is not None:
        if rolled_over and value >= previous.value:
            raise ValidationError({"value": _("A register that rolled over reads less than before.")})
        if value < previous.value and not rolled_over and not previous.is_estimate:
            raise ValidationError(
                {
                    "value": _(
                        "%(value)s is below the last reading, %(last)s on %(day)s: if the register rolled over, "
                        "say so; if the meter was replaced, record the replacement."
                    )
                    % {"value": value, "last": previous.value, "day": previous.read_on.isoformat()}
                }
            )
        consumption = (
            (value - previous.value + (meter.rollover if rolled_over else ZERO)) * meter.multiplier
        ).quantize(UNIT)
    reading = MeterReading(
        meter_id=meter.pk, read_on=read_on, band=band, value=value, rolled_over=rolled_over, consumption=consumption
    )
    if previous is not None and not previous.is_estimate:
        usual = _usual_daily(history)
        days = (read_on - previous.read_on).days
        factor = Decimal(settings.PARKOPS_METER_SPIKE_FACTOR)
        if usual and days and not usual / factor <= consumption / days <= usual * factor:
            reading.flag = MeterReading.Flag.SPIKE
            reading.flag_note = _("%(daily)s a day where it usually uses %(usual)s") % {
                "daily": f"{consumption / days:.2f}",
                "usual": f"{usual:.2f}",
            }
    return reading


@transaction.atomic
def reading_record(
    *,
    meter: Meter,
    read_on: datetime.date,
    value: Decimal,
    band: str = Band.TOTAL,
    rolled_over: bool = False,
    photo=None,
    recorded_by=None,
) -> MeterReading:
    """Record a register reading. One below the reading before is refused unless the register rolled
    over (or the one before was an estimate: this reading trues it up). Consumption far from the
    meter's usual (``PARKOPS_METER_SPIKE_FACTOR`` times more or less a day) is flagged for review."""
    meter = _locked_meter(meter)
    history = _history(meter, band)
    _placed(meter, read_on, band, history, _posted_through(meter.building_id, read_on))
    reading = _reading(meter, read_on, band, value, rolled_over, history)
    reading.meter, reading.recorded_by = meter, recorded_by
    if photo is not None:
        reading.photo = reencoded_image(photo)
    reading.full_clean(exclude=["meter", "photo"])
    reading.save()
    if reading.flag == MeterReading.Flag.SPIKE:
        notify(
            event=Event.READING_FLAGGED,
            context={"reading": reading},
            staff_link=reverse("admin:meters_meterreading_change", args=[reading.pk]),
        )
    return reading


@transaction.atomic
def reading_estimate(*, meter: Meter, read_on: datetime.date, band: str = Band.TOTAL, recorded_by=None) -> MeterReading:
    """Estimate a missing reading from the meter's usual consumption a day (staff choose to); the
    next real reading trues it up, whichever way the estimate erred."""
    meter = _locked_meter(meter)
    history = _history(meter, band)
    _placed(meter, read_on, band, history, _posted_through(meter.building_id, read_on))
    previous, usual = (history[0] if history else None), _usual_daily(history)
    if previous is None or usual is None:
        raise ValidationError({"read_on": _("The meter has too few readings to estimate from.")})
    consumption = (usual * (read_on - previous.read_on).days).quantize(UNIT)
    register = previous.value + (consumption / meter.multiplier).quantize(UNIT)
    rolled_over = register >= meter.rollover
    reading = MeterReading(
        meter=meter,
        read_on=read_on,
        band=band,
        value=register - meter.rollover if rolled_over else register,
        rolled_over=rolled_over,
        is_estimate=True,
        consumption=consumption,
        recorded_by=recorded_by,
    )
    reading.full_clean(exclude=["meter"])
    reading.save()
    return reading


@transaction.atomic
def reading_review(*, reading: MeterReading, note: str) -> MeterReading:
    """A flagged reading checked by staff (the tenant really used that much, say): it bills."""
    reading = MeterReading.objects.select_for_update().get(pk=reading.pk)
    if not note.strip():
        raise ValidationError({"flag_note": _("Say what the check found.")})
    reading.flag, reading.flag_note = MeterReading.Flag.RESOLVED, note.strip()[:300]
    reading.save(update_fields=["flag", "flag_note"])
    return reading


@transaction.atomic
def meter_replace(
    *,
    meter: Meter,
    on: datetime.date,
    closing_values: dict[str, Decimal],
    serial: str,
    opening_values: dict[str, Decimal],
    multiplier: Decimal | None = None,
    recorded_by=None,
) -> Meter:
    """Replace a meter on ``on``: the old one's last reading closes it, the new one's first opens it,
    so what was used before the swap bills on the old meter and after it on the new one."""
    meter = _locked_meter(meter)
    for band, value in closing_values.items():
        reading_record(meter=meter, read_on=on, value=value, band=band, recorded_by=recorded_by)
    meter.removed_on = on
    meter.save(update_fields=["removed_on"])
    new = Meter(
        kind=meter.kind,
        serial=serial,
        building=meter.building,
        floor=meter.floor,
        unit=meter.unit,
        shared_area=meter.shared_area,
        parent=meter.parent,
        multiplier=multiplier or meter.multiplier,
        digits=meter.digits,
        time_of_use=meter.time_of_use,
        installed_on=on,
        replaces=meter,
    )
    new.full_clean()
    new.save()
    Meter.objects.filter(parent=meter).update(parent=new)
    for band, value in opening_values.items():
        reading_record(meter=new, read_on=on, value=value, band=band, recorded_by=recorded_by)
    return new


@dataclass
class Priced:
    amount: Decimal
    billed_units: Decimal
    lines: list[dict]


@functools.lru_cache(maxsize=8)
def _labels(language: str | None) -> dict[str, str]:
    """The words of a charge's lines, translated once per language (a run prices thousands)."""
    return {
        "per_unit": str(_("per unit")),
        "surcharge": str(_("service surcharge")),
        **{band: str(label) for band, label in Band.choices},
    }


def tariff_price(tariff: Tariff, used: dict[str, Decimal]) -> Priced:
    """Price consumption by band with a tariff: units grow by the loss factor, then flat, by tier
    or by band, plus the surcharge on every unit; each line rounded to the fen."""
    labels = _labels(translation.get_language())
    prices = list(tariff.prices.all())
    factor = 1 + tariff.loss_factor
    lines = []
    if tariff.method == Tariff.Method.TIME_OF_USE:
        by_band = {price.band: price.price for price in prices}
        hours = defaultdict(list)
        for span in tariff.hours.all():
            hours[span.band].append(f"{span.starts_at:%H:%M}–{span.ends_at:%H:%M}".replace("–00:00", "–24:00"))
        for band, units in sorted(used.items(), key=lambda item: Band.values.index(item[0])):
            if band not in by_band:
                raise ValidationError(
                    _("The tariff %(tariff)s has no price for the band %(band)s.") % {"tariff": tariff, "band": band}
                )
            label = f"{labels[band]} {', '.join(hours[band])}" if hours[band] else labels[band]
            lines.append({"label": label, "units": (units * factor).quantize(UNIT), "price": by_band[band]})
    else:
        billed_total = (sum(used.values(), ZERO) * factor).quantize(UNIT)
        if tariff.method == Tariff.Method.FLAT:
            lines.append({"label": labels["per_unit"], "units": billed_total, "price": prices[0].price})
        else:
            floor, left = ZERO, billed_total
            for price in sorted(prices, key=lambda p: (p.up_to is None, p.up_to or 0)):
                units = left if price.up_to is None else min(left, max(price.up_to - floor, ZERO))
                if units > 0:
                    label = (
                        _("%(low)s to %(high)s") % {"low": floor, "high": price.up_to}
                        if price.up_to
                        else _("above %(low)s") % {"low": floor}
                    )
                    lines.append({"label": str(label), "units": units, "price": price.price})
                left -= units
                floor = price.up_to or floor
    billed_units = sum((line["units"] for line in lines), ZERO)
    if tariff.surcharge:
        lines.append({"label": labels["surcharge"], "units": billed_units, "price": tariff.surcharge})
    for line in lines:
        line["amount"] = _money(line["units"] * line["price"])
    return Priced(sum((line["amount"] for line in lines), ZERO), billed_units, lines)


def tariff_hours_check(spans: list[tuple[str, datetime.time, datetime.time]]) -> None:
    """A time-of-use tariff's band hours cover the whole day once: no gap, no overlap."""
    minutes = sorted(
        (start.hour * 60 + start.minute, (end.hour * 60 + end.minute) or 24 * 60) for _band, start, end in spans
    )
    reached = 0
    for start, end in minutes:
        if start != reached:
            raise ValidationError(
                _("The band hours leave a gap or overlap at %(time)s.")
                % {"time": f"{min(start, reached) // 60:02d}:{min(start, reached) % 60:02d}"}
            )
        reached = end
    if reached != 24 * 60:
        raise ValidationError(
            _("The band hours stop at %(time)s; they must cover the day to 24:00.")
            % {"time": f"{reached // 60:02d}:{reached % 60:02d}"}
        )


def _tariff(kind: str, on: datetime.date) -> Tariff:
    tariff = Tariff.objects.filter(kind=kind, effective_from__lte=on).prefetch_related("prices", "hours").first()
    if tariff is None:
        raise ValidationError(_("No tariff for %(kind)s is in force on %(day)s.") % {"kind": kind, "day": on})
    return tariff


def _shares(amount: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """``amount`` split by ``weights`` to the fen, the fen left over going to the largest remainders,
    so the shares add up to the amount exactly."""
    total = sum(weights.values(), ZERO)
    exact = {key: amount * weight / total for key, weight in weights.items()}
    shares = {key: value.quantize(FEN, rounding="ROUND_DOWN") for key, value in exact.items()}
    left = int((amount - sum(shares.values(), ZERO)) / FEN)
    for key in sorted(exact, key=lambda key: (exact[key] - shares[key], -key), reverse=True)[:left]:
        shares[key] += FEN
    return shares


def _lines_json(lines: list[dict]) -> list[dict]:
    return [
        {
            "label": line["label"],
            "units": str(line["units"]),
            "price": str(line["price"]),
            "amount": str(line["amount"]),
        }
        for line in lines
    ]


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


@transaction.atomic
def run_calculate(*, run: UtilityRun) -> UtilityRun:
    """Compute every charge of the run from the period's readings (again, if it was calculated):
    each let unit's meters to the unit's tenant, and the shared consumption — common areas' meters
    and what a parent meter read beyond its sub-meters — to the building's tenants by each meter's rule."""
    run = UtilityRun.objects.select_for_update().get(pk=run.pk)
    if run.status == UtilityRun.Status.POSTED:
        raise ValidationError({"status": _("This run is posted: correct its charges with a credit note.")})
    if run.charges.exists():
        run.charges.all().delete()
    meters = {meter.pk: meter for meter in _meter_facts(Meter.objects.filter(building=run.building))}
    used: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    readings: dict[int, list[dict]] = defaultdict(list)
    for meter_id, band, read_on, value, consumption, estimate, rolled_over in (
        MeterReading.objects.filter(
            meter__building=run.building, read_on__gte=run.period_start, read_on__lte=run.period_end
        )
        .order_by("meter_id", "band", "read_on")
        .values_list("meter_id", "band", "read_on", "value", "consumption", "is_estimate", "rolled_over")
    ):
        used[meter_id][band] += consumption
        readings[meter_id].append(
            {
                "read_on": read_on.isoformat(),
                "band": band,
                "value": str(value),
                "consumption": str(consumption),
                "estimate": estimate,
                "rolled_over": rolled_over,
            }
        )
    tenants = {
        unit_id: (tenant_id, area)
        for unit_id, tenant_id, area in LeaseUnit.objects.filter(
            unit__building=run.building, is_binding=True, starts_on__lte=run.period_end, ends_on__gte=run.period_end
        ).values_list("unit_id", "lease__tenant_id", "unit__leasable_area")
    }
    tariffs: dict[str, Tariff] = {}
    names: dict[int, str] = {}
    charges = []
    for meter_id, bands in used.items():
        meter = meters[meter_id]
        if meter.unit_id is None or meter.unit_id not in tenants:
            continue  # shared below, or a vacant unit the operator pays for
        tariff = tariffs.get(meter.kind) or tariffs.setdefault(meter.kind, _tariff(meter.kind, run.period_end))
        priced = tariff_price(tariff, dict(bands))
        charges.append(
            UtilityCharge(
                run=run,
                company_id=tenants[meter.unit_id][0],
                meter_id=meter.pk,
                kind=meter.kind,
                source=UtilityCharge.Source.METER,
                consumption=sum(bands.values(), ZERO),
                amount=priced.amount,
                explanation={
                    "meter": meter.serial,
                    "unit": meter.unit_code,
                    "multiplier": str(meter.multiplier),
                    "readings": readings[meter_id],
                    "consumption": {band: str(units) for band, units in bands.items()},
                    "tariff": names.get(tariff.pk) or names.setdefault(tariff.pk, str(tariff)),
                    "loss_factor": str(tariff.loss_factor),
                    "billed_units": str(priced.billed_units),
                    "lines": _lines_json(priced.lines),
                },
            )
        )
    charges += _shared_charges(run, meters, used, tenants, tariffs)
    bulk_insert(UtilityCharge, charges)
    run.status, run.calculated_at = UtilityRun.Status.CALCULATED, timezone.now()
    run.save(update_fields=["status", "calculated_at"])
    return run


@dataclass(frozen=True)
class Weights:
    """Who shares a meter's consumption and by what: areas in m², heads, or fixed shares."""

    rule: str
    by_company: dict[int, Decimal]
    measure: str


def _weights(meters, tenants) -> dict[int, Weights]:
    """Each shared-out meter's weights by its rule. A rule that cannot be applied — a tenant without
    a headcount, a meter without fixed shares — refuses the calculation, naming what is missing."""
    areas: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for company_id, area in tenants.values():
        areas[company_id] += area
    rules = {meter.allocation for meter in meters.values()}
    by_rule = {Allocation.LEASED_AREA: Weights(Allocation.LEASED_AREA, dict(areas), "m²")}
    if Allocation.HEADCOUNT in rules:
        heads = TenantCompany.objects.filter(pk__in=areas).order_by("name").values_list("pk", "headcount", "name")
        unknown = [name for _pk, count, name in heads if not count]
        if unknown:
            raise ValidationError(
                _("A meter is shared out by headcount, but these tenants have no headcount: %(companies)s.")
                % {"companies": "、".join(unknown)}
            )
        by_rule[Allocation.HEADCOUNT] = Weights(
            Allocation.HEADCOUNT, {pk: Decimal(count) for pk, count, _name in heads}, str(_("people"))
        )
    fixed: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for meter_id, company_id, weight in MeterShare.objects.filter(
        meter__in=[meter.pk for meter in meters.values() if meter.allocation == Allocation.FIXED_SHARES]
    ).values_list("meter_id", "company_id", "weight"):
        fixed[meter_id][company_id] = weight
    return {
        meter.pk: (
            Weights(Allocation.FIXED_SHARES, fixed[meter.pk], str(_("shares")))
            if meter.allocation == Allocation.FIXED_SHARES
            else by_rule[meter.allocation]
        )
        for meter in meters.values()
    }


def _shared_charges(run, meters, used, tenants, tariffs) -> list[UtilityCharge]:
    """Common areas' consumption and each parent meter's loss beyond its sub-meters, priced and
    shared out by the meter's rule (leased area, headcount or fixed shares); the rule, the weights
    and the share are saved with each charge."""
    children = defaultdict(list)
    for meter in meters.values():
        if meter.parent_id:
            children[meter.parent_id].append(meter.pk)
    weights = _weights(meters, tenants)
    charges = []
    for meter in meters.values():
        if meter.unit_id is not None and not children[meter.pk]:
            continue
        bands = dict(used.get(meter.pk, {}))
        for child in children[meter.pk]:
            for band, units in used.get(child, {}).items():
                bands[band] = bands.get(band, ZERO) - units
        shared = {band: units for band, units in bands.items() if units > 0}
        if not shared:
            continue
        rule = weights[meter.pk]
        total = sum(rule.by_company.values(), ZERO)
        if not total:
            if rule.rule == Allocation.FIXED_SHARES:
                raise ValidationError(
                    _("The meter %(meter)s is shared out by fixed shares, but it has none.") % {"meter": meter.serial}
                )
            continue  # no tenant in the building: the operator bears it
        tariff = tariffs.get(meter.kind) or tariffs.setdefault(meter.kind, _tariff(meter.kind, run.period_end))
        priced = tariff_price(tariff, shared)
        for company_id, amount in _shares(priced.amount, rule.by_company).items():
            weight = rule.by_company[company_id]
            charges.append(
                UtilityCharge(
                    run=run,
                    company_id=company_id,
                    meter_id=meter.pk,
                    kind=meter.kind,
                    source=UtilityCharge.Source.SHARED,
                    consumption=(sum(shared.values(), ZERO) * weight / total).quantize(UNIT),
                    amount=amount,
                    explanation=_json(
                        {
                            "meter": meter.serial,
                            "shared_area": meter.shared_area or str(_("loss beyond its sub-meters")),
                            "shared_consumption": shared,
                            "shared_amount": priced.amount,
                            "lines": priced.lines,
                            "rule": rule.rule,
                            "rule_label": str(Allocation(rule.rule).label),
                            "weight": weight,
                            "total_weight": total,
                            "measure": rule.measure,
                            "share": (weight / total).quantize(Decimal("0.000001")),
                        }
                    ),
                )
            )
    return charges


@transaction.atomic
def run_review(*, run: UtilityRun) -> UtilityRun:
    """Mark the calculated run reviewed: refused while a reading of its period waits for review."""
    run = UtilityRun.objects.select_for_update().get(pk=run.pk)
    if run.status != UtilityRun.Status.CALCULATED:
        raise ValidationError({"status": _("Only a calculated run is reviewed.")})
    flagged = list(
        MeterReading.objects.filter(
            meter__building=run.building,
            read_on__gte=run.period_start,
            read_on__lte=run.period_end,
            flag=MeterReading.Flag.SPIKE,
        ).select_related("meter")
    )
    if flagged:
        raise ValidationError(
            {
                "status": _("Check these readings first: %(readings)s.")
                % {"readings": "; ".join(f"{reading} ({reading.flag_note})" for reading in flagged)}
            }
        )
    negative = [
        (row["company__name"], row["total"])
        for row in run.charges.values("company__name").annotate(total=Sum("amount")).order_by("company__name")
        if row["total"] < 0
    ]
    if negative:
        raise ValidationError(
            {
                "status": _(
                    "These companies' charges come to less than nothing after an estimate was trued up: %(companies)s. "
                    "Credit the amount on their last utility bill, then correct the reading or recalculate."
                )
                % {"companies": "; ".join(f"{name} {total}" for name, total in negative)}
            }
        )
    run.status = UtilityRun.Status.REVIEWED
    run.save(update_fields=["status"])
    return run


@transaction.atomic
def run_post(*, run: UtilityRun, posted_by=None) -> list[Bill]:
    """Bill the reviewed run: one utility bill per company, a line per charge, issued today through
    the billing services. A run is posted once; posting it again posts nothing."""
    run = UtilityRun.objects.select_for_update().get(pk=run.pk)
    if run.status == UtilityRun.Status.POSTED:
        raise ValidationError({"status": _("This run is already posted.")})
    if run.status != UtilityRun.Status.REVIEWED:
        raise ValidationError({"status": _("Review the run before posting it.")})
    today = timezone.localdate()
    by_company: dict[int, list[UtilityCharge]] = defaultdict(list)
    for charge in run.charges.select_related("meter").order_by("company_id", "kind", "pk"):
        by_company[charge.company_id].append(charge)
    bills = []
    for company_id, charges in by_company.items():
        if not any(charge.amount for charge in charges):
            continue  # nothing used: no bill of zero
        draft = BillDraft(
            period_start=run.period_start,
            period_end=run.period_end,
            due_on=max(today, run.period_end) + datetime.timedelta(days=run.due_days),
            lines=tuple(
                LineDraft(
                    kind=charge.kind,
                    amount=charge.amount,
                    period_start=run.period_start,
                    period_end=run.period_end,
                    description=(
                        _("%(meter)s, shared") if charge.source == UtilityCharge.Source.SHARED else "%(meter)s"
                    )
                    % {"meter": charge.meter.serial},
                    source=f"meters:charge:{charge.pk}",
                )
                for charge in charges
            ),
        )
        bill = bill_issue(bill=bill_schedule(company_id=company_id, draft=draft), on=today)
        UtilityCharge.objects.filter(pk__in=[charge.pk for charge in charges]).update(bill=bill)
        bills.append(bill)
    run.status, run.posted_at, run.posted_by = UtilityRun.Status.POSTED, timezone.now(), posted_by
    run.save(update_fields=["status", "posted_at", "posted_by"])
    return bills


READING_COLUMNS = {"serial": "表号", "read_on": "抄表日期", "value": "读数"}
OPTIONAL_COLUMNS = {"band": "时段", "rolled_over": "翻转"}
BAND_NAMES = {"": Band.TOTAL, "总": Band.TOTAL, "尖": Band.SHARP, "峰": Band.PEAK, "平": Band.FLAT, "谷": Band.VALLEY}
YES = {"是", "1", "y", "yes", "true"}
MAX_ERRORS = 50


def _histories(meter_ids: set[int]) -> dict[tuple[int, str], list[MeterReading]]:
    """The latest readings of each meter and band, latest first, in one query."""
    histories: dict[tuple[int, str], list[MeterReading]] = defaultdict(list)
    ranked = (
        MeterReading.objects.filter(meter_id__in=meter_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("meter_id"), F("band")], order_by=F("read_on").desc()))
        .filter(rank__lte=TRAILING_READINGS + 2)
        .order_by("meter_id", "band", "-read_on")
    )
    for meter_id, band, read_on, value, consumption, is_estimate in ranked.values_list(
        "meter_id", "band", "read_on", "value", "consumption", "is_estimate"
    ):
        histories[(meter_id, band)].append(Past(read_on, value, consumption, is_estimate))
    return histories


@transaction.atomic
def readings_import(*, content: bytes, recorded_by=None) -> list[MeterReading]:
    """Readings from a metering system's or a reading round's file (CSV or XLSX: 表号, 抄表日期, 读数,
    and 时段 for time-of-use meters, 翻转 where a register rolled over), checked as one by one. Any
    row refused refuses the file, naming every bad row (the first fifty)."""
    rows = table_rows(content)
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    header, *body = rows
    names = [str(cell or "").strip() for cell in header.cells]
    missing = [name for name in READING_COLUMNS.values() if name not in names]
    if missing:
        raise row_error(
            header.number,
            _("the columns %(missing)s are missing; a readings file has %(columns)s.")
            % {"missing": "、".join(missing), "columns": "、".join(READING_COLUMNS.values())},
        )
    at = {field: names.index(name) for field, name in {**READING_COLUMNS, **OPTIONAL_COLUMNS}.items() if name in names}
    errors, parsed = [], []
    for row in body:
        cells = list(row.cells) + [None] * (len(names) - len(row.cells))
        try:
            band_name = str(cells[at["band"]] or "").strip() if "band" in at else ""
            band = BAND_NAMES.get(band_name, band_name)
            if band not in Band.values:
                raise row_error(row.number, _("“%(band)s” is not a band (总, 尖, 峰, 平, 谷).") % {"band": band_name})
            value = _register_value(cells[at["value"]], row.number)
            parsed.append(
                (
                    row.number,
                    str(cells[at["serial"]] or "").strip(),
                    parse_day(cells[at["read_on"]], row=row.number),
                    band,
                    value,
                    "rolled_over" in at and str(cells[at["rolled_over"]] or "").strip().lower() in YES,
                )
            )
        except ValidationError as error:
            errors += [(row.number, message) for message in error.messages]
    meters = {meter.serial: meter for meter in _meter_facts(_by_serial({serial for _n, serial, *_rest in parsed}))}
    posted = list(UtilityRun.objects.filter(status=UtilityRun.Status.POSTED))
    histories = _histories({meter.pk for meter in meters.values()})
    readings = []
    for number, serial, read_on, band, value, rolled_over in sorted(parsed, key=lambda row: (row[1], row[3], row[2])):
        meter = meters.get(serial)
        try:
            if meter is None:
                raise ValidationError(_("no meter has the serial number %(serial)s.") % {"serial": serial})
            history = histories[(meter.pk, band)]
            run = next(
                (r for r in posted if r.building_id == meter.building_id and r.period_start <= read_on <= r.period_end),
                None,
            )
            _placed(meter, read_on, band, history, run)
            reading = _reading(meter, read_on, band, value, rolled_over, history)
        except ValidationError as error:
            errors.append(
                (number, _("Row %(row)s: %(message)s") % {"row": number, "message": " ".join(error.messages)})
            )
            continue
        reading.recorded_by = recorded_by
        history.insert(0, Past(reading.read_on, reading.value, reading.consumption, reading.is_estimate))
        readings.append(reading)
    if errors:
        errors = [message for _row, message in sorted(errors, key=lambda error: error[0])]
        more = (
            [_("… and %(count)d more rows.") % {"count": len(errors) - MAX_ERRORS}] if len(errors) > MAX_ERRORS else []
        )
        raise ValidationError(errors[:MAX_ERRORS] + more, code="bad_rows")
    bulk_insert(MeterReading, readings)
    return readings


def _by_serial(serials: set[str]):
    """The meters with these serial numbers, locked while their readings go in. On PostgreSQL as one
    array parameter: a month's file names a hundred thousand meters."""
    meters = Meter.objects.select_for_update(of=("self",))
    if connection.vendor == "postgresql":
        return meters.filter(pk__in=RawSQL("SELECT id FROM meters_meter WHERE serial = ANY(%s)", [list(serials)]))
    return meters.filter(serial__in=serials)


def _register_value(cell, row: int) -> Decimal:
    try:
        value = Decimal(str(cell).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value < 0 or value != value.quantize(UNIT):
        raise row_error(row, _("“%(value)s” is not a register reading.") % {"value": cell})
    return value


@transaction.atomic
def dispute_raise(*, charge: UtilityCharge, message: str, raised_by, photo=None) -> ChargeDispute:
    """The tenant questions a posted charge, within ``PARKOPS_DISPUTE_DAYS`` of its posting."""
    charge = UtilityCharge.objects.select_for_update().select_related("run").get(pk=charge.pk)
    if charge.run.status != UtilityRun.Status.POSTED:
        raise ValidationError({"charge": _("Only a posted charge can be disputed.")})
    last_day = timezone.localdate(charge.run.posted_at) + datetime.timedelta(days=settings.PARKOPS_DISPUTE_DAYS)
    if timezone.localdate() > last_day:
        raise ValidationError(
            {
                "charge": _("Charges are disputed within %(days)d days of posting.")
                % {"days": settings.PARKOPS_DISPUTE_DAYS}
            }
        )
    if not message.strip():
        raise ValidationError({"message": _("Say what looks wrong.")})
    if charge.disputes.filter(status=ChargeDispute.Status.OPEN).exists():
        raise ValidationError({"charge": _("This charge is already disputed.")})
    dispute = ChargeDispute(charge=charge, company_id=charge.company_id, message=message.strip(), raised_by=raised_by)
    if photo is not None:
        dispute.photo = reencoded_image(photo)
    dispute.save()
    notify(
        event=Event.CHARGE_DISPUTED,
        context={"dispute": dispute},
        staff_link=reverse("admin:meters_chargedispute_change", args=[dispute.pk]),
    )
    return dispute


@transaction.atomic
def dispute_answer(
    *,
    dispute: ChargeDispute,
    answer: str,
    answered_by,
    corrected_amount: Decimal | None = None,
    red_letter_confirmation: str = "",
) -> ChargeDispute:
    """Answer a dispute: explained as charged, or corrected to ``corrected_amount`` by a credit note on
    the charge's bill line (the charge itself is never edited)."""
    dispute = ChargeDispute.objects.select_for_update(of=("self",)).select_related("charge__bill").get(pk=dispute.pk)
    if dispute.status != ChargeDispute.Status.OPEN:
        raise ValidationError({"status": _("This dispute is already answered.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Say why.")})
    charge = dispute.charge
    if corrected_amount is not None:
        if not ZERO <= corrected_amount < charge.amount:
            raise ValidationError(
                {"corrected_amount": _("A correction lowers the charge of %(amount)s.") % {"amount": charge.amount}}
            )
        line = charge.bill.lines.get(source=f"meters:charge:{charge.pk}")
        bill_credit(
            bill=charge.bill,
            credits=[(line, charge.amount - corrected_amount)],
            reason=_("Utility charge disputed: %(answer)s") % {"answer": answer.strip()},
            recorded_by=answered_by,
            red_letter_confirmation=red_letter_confirmation,
        )
    dispute.status = ChargeDispute.Status.EXPLAINED if corrected_amount is None else ChargeDispute.Status.CORRECTED
    dispute.answer, dispute.corrected_amount = answer.strip(), corrected_amount
    dispute.answered_by, dispute.answered_at = answered_by, timezone.now()
    dispute.save()
    return dispute
