"""The rent schedule against hand-computed figures."""

import calendar
import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from leases.schedule import Escalation, FreePeriod, Terms, build_schedule, rate_steps

D = datetime.date


def terms(**overrides) -> Terms:
    base = dict(
        starts_on=D(2025, 4, 1),
        ends_on=D(2028, 3, 31),
        area=Decimal("260"),
        rent_rate=Decimal("4.5"),
        rent_basis="per_day",
        fee_rate=Decimal("22"),
    )
    return Terms(**{**base, **overrides})


def test_full_months_cost_area_times_the_monthly_rate():
    schedule = build_schedule(terms())
    # 260 m² × 4.5 CNY/m²/day × 365/12 = 35,587.50 a month; fee 260 × 22 = 5,720.
    assert len(schedule.periods) == 36
    assert {p.rent for p in schedule.periods} == {Decimal("35587.50")}
    assert {p.fee for p in schedule.periods} == {Decimal("5720.00")}
    assert schedule.contract_value == Decimal("35587.50") * 36 + Decimal("5720.00") * 36
    assert schedule.periods[0].due_on == D(2025, 4, 5)


def test_a_monthly_quote_is_kept_as_is():
    schedule = build_schedule(terms(rent_rate=Decimal("135"), rent_basis="per_month"))
    assert schedule.periods[0].rent == Decimal("35100.00")  # 260 × 135


def test_the_day_to_month_factor_is_a_setting():
    schedule = build_schedule(terms(days_per_month=Fraction(30)))
    assert schedule.periods[0].rent == Decimal("35100.00")  # 260 × 4.5 × 30


def test_partial_first_and_last_months_are_prorated_by_day():
    schedule = build_schedule(terms(starts_on=D(2025, 4, 16), ends_on=D(2025, 6, 10), fee_rate=Decimal("0")))
    first, middle, last = schedule.periods
    # April: 15 of 30 days → 35,587.50 / 2; June: 10 of 30 days → 35,587.50 / 3.
    assert (first.starts_on, first.ends_on, first.rent) == (D(2025, 4, 16), D(2025, 4, 30), Decimal("17793.75"))
    assert middle.rent == Decimal("35587.50")
    assert (last.ends_on, last.rent) == (D(2025, 6, 10), Decimal("11862.50"))
    assert first.due_on == D(2025, 4, 16)  # never before the term starts


def test_rent_free_days_cost_no_rent_but_still_the_fee():
    schedule = build_schedule(terms(free_periods=(FreePeriod(D(2025, 3, 1), D(2025, 5, 15)),)))
    march, april, may = schedule.periods[:3]
    # The period begins before the term: March costs its fee too (260 m² × 22), as it does not waive it.
    assert (march.starts_on, march.rent, march.fee) == (D(2025, 3, 1), Decimal("0.00"), Decimal("5720.00"))
    assert april.rent == Decimal("0.00") and april.fee == Decimal("5720.00")
    # May: 16 of 31 days charged.
    assert may.rent == (Decimal("35587.50") * 16 / 31).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert may.rent == Decimal("18367.74")


def test_a_fit_out_period_may_waive_the_fee_too():
    schedule = build_schedule(terms(free_periods=(FreePeriod(D(2025, 4, 1), D(2025, 4, 30), True, True),)))
    assert schedule.periods[0].total == Decimal("0.00")


def test_escalations_by_percent_amount_and_new_rate_each_with_rounding():
    steps = rate_steps(
        terms(
            escalations=(
                Escalation("rent", "percent", Decimal("5"), every_months=12),
                Escalation("rent", "amount", Decimal("0.3"), effective_on=D(2027, 10, 1)),
            )
        ),
        "rent",
    )
    # Every 12 months +5 %, rounded to 2 places half up; +0.30 once from 2027-10-01.
    assert steps == [
        (D(2025, 4, 1), Decimal("4.5")),
        (D(2026, 4, 1), Decimal("4.73")),
        (D(2027, 4, 1), Decimal("4.97")),  # 4.73 × 1.05 = 4.9665 → 4.97
        (D(2027, 10, 1), Decimal("5.27")),
    ]
    new_rate = rate_steps(
        terms(
            escalations=(Escalation("rent", "new_rate", Decimal("5.123"), effective_on=D(2026, 1, 1), rate_decimals=1),)
        ),
        "rent",
    )
    assert new_rate[-1] == (D(2026, 1, 1), Decimal("5.1"))


def test_an_escalation_mid_month_prorates_both_rates():
    schedule = build_schedule(
        terms(
            starts_on=D(2025, 1, 1),
            ends_on=D(2025, 12, 31),
            rent_basis="per_month",
            rent_rate=Decimal("100"),
            area=Decimal("100"),
            fee_rate=Decimal("0"),
            escalations=(Escalation("rent", "new_rate", Decimal("131"), effective_on=D(2025, 3, 17)),),
        )
    )
    march = schedule.periods[2]
    # 16 days at 10,000 and 15 days at 13,100 over 31 days: (160,000 + 196,500) / 31 = 11,500.00
    assert march.rent == Decimal("11500.00")
    assert schedule.periods[3].rent == Decimal("13100.00")


def test_quarterly_periods_are_calendar_quarters_cut_to_the_term():
    schedule = build_schedule(terms(starts_on=D(2025, 5, 1), ends_on=D(2026, 1, 31), cycle="quarterly"))
    assert [(p.starts_on, p.ends_on, p.due_on) for p in schedule.periods] == [
        (D(2025, 5, 1), D(2025, 6, 30), D(2025, 5, 5)),
        (D(2025, 7, 1), D(2025, 9, 30), D(2025, 7, 5)),
        (D(2025, 10, 1), D(2025, 12, 31), D(2025, 10, 5)),
        (D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 5)),
    ]
    assert schedule.periods[1].rent == Decimal("35587.50") * 3


def exact_rent_day_by_day(case: Terms) -> Fraction:
    """An independent brute force: every chargeable day costs area × monthly rate ÷ days in its month."""
    steps = rate_steps(case, "rent")
    total, day = Fraction(0), case.starts_on
    while day <= case.ends_on:
        if not any(p.starts_on <= day <= p.ends_on and p.waives_rent for p in case.free_periods):
            rate = [r for since, r in steps if since <= day][-1]
            monthly = Fraction(rate) * (case.days_per_month if case.rent_basis == "per_day" else 1)
            total += Fraction(case.area) * monthly / calendar.monthrange(day.year, day.month)[1]
        day += datetime.timedelta(days=1)
    return total


def test_periods_always_add_up_exactly_to_the_rounded_contract_value():
    """Awkward areas, rates and dates: the periods sum to the exact total rounded to the fen."""
    rng = random.Random(20251128)
    for _ in range(60):
        start = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        end = start + datetime.timedelta(days=rng.randrange(30, 1100))
        case = terms(
            starts_on=start,
            ends_on=end,
            area=Decimal(rng.randrange(1000, 99999)) / 100,
            rent_rate=Decimal(rng.randrange(100, 999)) / 100,
            fee_rate=Decimal(rng.randrange(0, 4000)) / 100,
            rent_basis=rng.choice(["per_day", "per_month"]),
            cycle=rng.choice(["monthly", "quarterly"]),
            free_periods=(FreePeriod(start, start + datetime.timedelta(days=rng.randrange(0, 90))),),
            escalations=(
                Escalation("rent", "percent", Decimal(rng.randrange(1, 9)), every_months=rng.choice([6, 12])),
            ),
        )
        schedule = build_schedule(case)
        exact = exact_rent_day_by_day(case)
        expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert sum(p.rent for p in schedule.periods) == schedule.rent_total == expected
        for period in schedule.periods:
            assert period.rent >= 0 and period.fee >= 0
            assert period.rent == period.rent.quantize(Decimal("0.01"))
        assert schedule.periods[0].starts_on == start and schedule.periods[-1].ends_on == end


def test_a_fit_out_before_the_term_bills_the_fee_it_does_not_waive():
    schedule = build_schedule(
        terms(
            starts_on=D(2026, 3, 1),
            ends_on=D(2027, 2, 28),
            rent_basis="per_month",
            rent_rate=Decimal("100"),
            fee_rate=Decimal("20"),
            area=Decimal("100"),
            free_periods=(FreePeriod(D(2026, 2, 1), D(2026, 2, 28), waives_rent=True, waives_fee=False),),
        )
    )
    fit_out = schedule.periods[0]
    # February: no rent, the whole month's fee of 100 m² × 20 = 2,000; then twelve months of 12,000.
    assert (fit_out.starts_on, fit_out.ends_on, fit_out.due_on) == (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 5))
    assert (fit_out.rent, fit_out.fee) == (Decimal("0.00"), Decimal("2000.00"))
    assert len(schedule.periods) == 13 and schedule.contract_value == Decimal("146000.00")
    waived = build_schedule(
        terms(
            starts_on=D(2026, 3, 1),
            ends_on=D(2027, 2, 28),
            rent_basis="per_month",
            free_periods=(FreePeriod(D(2026, 2, 1), D(2026, 2, 28), waives_rent=True, waives_fee=True),),
        )
    )
    assert (
        waived.periods[0].total == Decimal("0.00") and sum(p.total for p in waived.periods[1:]) == waived.contract_value
    )
