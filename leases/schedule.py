"""The rent schedule of a lease: a pure computation from its terms, no database.

Rules (the README repeats them for staff):

- Rates are per m² of leased area. A rent quoted per day becomes a monthly rate by the day-to-month
  factor (``PARKOPS_DAYS_PER_MONTH``, 365/12 by default); the management fee is quoted per month.
- A calendar month fully inside the term, at one rate and with no free day, costs area × monthly
  rate. Any other month is prorated by day: each chargeable day costs area × monthly rate ÷ the
  number of days in that month. Days of a rent-free or fit-out period cost no rent (and no fee when
  the period waives it); such a period may begin before the term, and its days then cost what it
  does not waive (the fee of a fit-out, typically); other days outside the term cost nothing.
- Escalations change the rate from their date (once) or every N months from the start of the term
  (recurring); each rounds the new rate half up to its own number of decimal places.
- An amendment may change the leased area from a day: the days from then cost the new area.
- Billing periods are calendar months (or calendar quarters) cut to the term; a period's bill falls
  due on the due day of the month it starts in, or on its first day when that is later.
- Amounts are computed exactly (as fractions) and rounded to the fen only at the end: the contract
  value of rent (and of fee) is its exact total rounded half up, and each period's amount is the
  difference between the rounded running totals before and after it. So no period is off by more
  than one fen and the periods add up exactly to the contract value.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from core.dates import add_months, month_start, quarter_start

FEN = Decimal("0.01")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Escalation:
    applies_to: str  # "rent" or "fee"
    kind: str  # "percent", "amount" or "new_rate"
    value: Decimal
    effective_on: datetime.date | None = None
    every_months: int | None = None
    rate_decimals: int = 2


@dataclass(frozen=True)
class FreePeriod:
    starts_on: datetime.date
    ends_on: datetime.date
    waives_rent: bool = True
    waives_fee: bool = False


@dataclass(frozen=True)
class Terms:
    starts_on: datetime.date
    ends_on: datetime.date  # the last day charged: the termination date when terminated early
    area: Decimal
    rent_rate: Decimal
    rent_basis: str  # "per_day" or "per_month"
    fee_rate: Decimal = Decimal("0")
    cycle: str = "monthly"  # or "quarterly"
    due_day: int = 5
    free_periods: tuple[FreePeriod, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    days_per_month: Fraction = Fraction(365, 12)
    area_steps: tuple[tuple[datetime.date, Decimal], ...] = ()  # a new leased area from a day (amendments)


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date
    rent: Decimal
    fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.rent + self.fee


@dataclass
class Schedule:
    periods: list[Period] = field(default_factory=list)

    @property
    def rent_total(self) -> Decimal:
        return sum((p.rent for p in self.periods), Decimal("0.00"))

    @property
    def fee_total(self) -> Decimal:
        return sum((p.fee for p in self.periods), Decimal("0.00"))

    @property
    def contract_value(self) -> Decimal:
        return self.rent_total + self.fee_total


def round_fen(value: Fraction) -> Decimal:
    with localcontext(prec=60):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(FEN, rounding=ROUND_HALF_UP)


def _escalate(rate: Decimal, escalation: Escalation) -> Decimal:
    if escalation.kind == "percent":
        new_rate = rate * (1 + escalation.value / 100)
    elif escalation.kind == "amount":
        new_rate = rate + escalation.value
    else:
        new_rate = escalation.value
    return max(new_rate, Decimal("0")).quantize(Decimal(1).scaleb(-escalation.rate_decimals), rounding=ROUND_HALF_UP)


def rate_steps(terms: Terms, applies_to: str) -> list[tuple[datetime.date, Decimal]]:
    """The rate in force from each date on, in the basis it is quoted in, starting with the term."""
    events: list[tuple[datetime.date, int, Escalation]] = []
    for order, escalation in enumerate(e for e in terms.escalations if e.applies_to == applies_to):
        if escalation.effective_on is not None:
            events.append((max(escalation.effective_on, terms.starts_on), order, escalation))
        else:
            step = 1
            while (day := add_months(terms.starts_on, step * escalation.every_months)) <= terms.ends_on:
                events.append((day, order, escalation))
                step += 1
    rate = terms.rent_rate if applies_to == "rent" else terms.fee_rate
    steps = {terms.starts_on: rate}
    for day, _order, escalation in sorted(events, key=lambda event: (event[0], event[1])):
        rate = _escalate(rate, escalation)
        steps[day] = rate
    return sorted(steps.items())


def _monthly(rate: Decimal, basis: str, days_per_month: Fraction) -> Fraction:
    return Fraction(rate) * days_per_month if basis == "per_day" else Fraction(rate)


def rate_on(steps: list[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal:
    current = steps[0][1]
    for since, rate in steps:
        if since > day:
            break
        current = rate
    return current


def area_on(terms: Terms, day: datetime.date) -> Decimal:
    """The leased area on ``day``: the term's, or the latest amendment's in force by then."""
    area = terms.area
    for since, stepped in sorted(terms.area_steps):
        if since <= day:
            area = stepped
    return area


def charged_from(terms: Terms) -> datetime.date:
    """The first day that may cost something: the term's, or an earlier fit-out or rent-free period's."""
    return min([terms.starts_on, *(free.starts_on for free in terms.free_periods)])


def _exact_charges(terms: Terms) -> list[tuple[datetime.date, Fraction, Fraction]]:
    """(first day, exact rent, exact fee) of every stretch of days with one month, rate and waiver."""
    rent_steps, fee_steps = rate_steps(terms, "rent"), rate_steps(terms, "fee")
    begin, end = charged_from(terms), terms.ends_on + DAY
    cuts = {begin, terms.starts_on, end}
    month = month_start(begin)
    while (month := add_months(month, 1)) < end:
        cuts.add(month)
    cuts.update(day for day, _ in rent_steps + fee_steps + list(terms.area_steps))
    for free in terms.free_periods:
        cuts.update({free.starts_on, free.ends_on + DAY})
    cuts = sorted(day for day in cuts if begin <= day <= end)
    stretches = []
    for first, after in zip(cuts, cuts[1:], strict=False):
        days = (after - first).days
        month_days = calendar.monthrange(first.year, first.month)[1]
        free = [f for f in terms.free_periods if f.starts_on <= first <= f.ends_on]
        if first < terms.starts_on and not free:
            continue  # before the term, only a fit-out or rent-free period holds the units
        rent_rate = _monthly(rate_on(rent_steps, first), terms.rent_basis, terms.days_per_month)
        fee_rate = Fraction(rate_on(fee_steps, first))
        share = Fraction(days, month_days) * Fraction(area_on(terms, first))
        rent = Fraction(0) if any(f.waives_rent for f in free) else share * rent_rate
        fee = Fraction(0) if any(f.waives_fee for f in free) else share * fee_rate
        stretches.append((first, rent, fee))
    return stretches


def build_schedule(terms: Terms) -> Schedule:
    period_start = quarter_start if terms.cycle == "quarterly" else month_start
    totals: dict[datetime.date, list[Fraction]] = {}
    for first, rent, fee in _exact_charges(terms):
        bucket = totals.setdefault(period_start(first), [Fraction(0), Fraction(0)])
        bucket[0] += rent
        bucket[1] += fee
    schedule = Schedule()
    running = [Fraction(0), Fraction(0)]
    rounded = [Decimal("0.00"), Decimal("0.00")]
    step = 3 if terms.cycle == "quarterly" else 1
    for start, (rent, fee) in sorted(totals.items()):
        amounts = []
        for index, exact in enumerate((rent, fee)):
            running[index] += exact
            now = round_fen(running[index])
            amounts.append(now - rounded[index])
            rounded[index] = now
        first_day = max(start, charged_from(terms))
        last_day = min(add_months(start, step) - DAY, terms.ends_on)
        schedule.periods.append(
            Period(
                starts_on=first_day,
                ends_on=last_day,
                due_on=max(first_day.replace(day=terms.due_day), first_day),
                rent=amounts[0],
                fee=amounts[1],
            )
        )
    return schedule
