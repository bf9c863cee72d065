"""Demo statistics: the indicator catalogue, two years of quarterly periods with every tenant
company's filing — most accepted on time, some filed late — and the latest quarter still open:
several filed and accepted, one returned for correction, the rest outstanding."""

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from core.dates import add_months, quarter_start
from tenants.models import TenantCompany, TenantMembership

from .models import Filing, FilingValue, Indicator, PeriodIndicator, ReportingPeriod
from .services import filing_accept, filing_return, filing_save, period_open

CATALOGUE = [
    (
        "revenue",
        "营业收入",
        "Revenue",
        "万元",
        2,
        Decimal("50"),
        "本季度主营业务收入与其他业务收入之和（不含增值税）。",
    ),
    ("tax", "纳税额", "Tax paid", "万元", 2, Decimal("50"), "本季度实际缴纳的各项税费合计，以完税证明为准。"),
    ("employees", "从业人员", "Employees", "人", 0, Decimal("30"), "季末在岗职工、劳务派遣及其他从业人员合计。"),
    ("rnd", "研发投入", "R&D spending", "万元", 2, None, "本季度研究与试验发展经费支出。"),
    ("ip", "新增知识产权", "New intellectual property", "件", 0, None, "本季度新获授权的专利、软件著作权、商标等。"),
    ("output", "产值", "Output value", "万元", 2, Decimal("50"), "本季度生产的产品和服务的价值总量（现价）。"),
]
QUARTERS = 8


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16)


def seed_indicators() -> dict[str, Indicator]:
    indicators = {}
    for order, (code, name_zh, name_en, unit, places, limit, definition) in enumerate(CATALOGUE, start=1):
        indicators[code], _created = Indicator.objects.get_or_create(
            code=code,
            effective_from=datetime.date(2020, 1, 1),
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "unit": unit,
                "decimal_places": places,
                "change_limit": limit,
                "definition": definition,
                "order": order,
            },
        )
    return indicators


def _figures(company: TenantCompany, quarter_index: int) -> dict[str, Decimal]:
    """A company's plausible quarter: revenue growing a few per cent a quarter, tax about 6 % of it."""
    seed = _seed(company.name)
    revenue = Decimal(200 + seed % 4800) * (Decimal("1.03") ** quarter_index)
    revenue = revenue.quantize(Decimal("0.01"))
    headcount = company.headcount or 50
    return {
        "revenue": revenue,
        "tax": (revenue * Decimal("0.06")).quantize(Decimal("0.01")),
        "employees": Decimal(headcount + quarter_index),
        "rnd": (revenue * Decimal("0.08")).quantize(Decimal("0.01")),
        "ip": Decimal(seed % 5),
        "output": (revenue * Decimal("1.15")).quantize(Decimal("0.01")),
    }


def _period(starts_on: datetime.date, indicators: dict[str, Indicator]) -> ReportingPeriod:
    period, created = ReportingPeriod.objects.get_or_create(
        kind=ReportingPeriod.Kind.QUARTER,
        starts_on=starts_on,
        defaults={"deadline": add_months(starts_on, 4) - datetime.timedelta(days=1) + datetime.timedelta(days=15)},
    )
    if created:
        PeriodIndicator.objects.bulk_create(
            PeriodIndicator(period=period, indicator=indicator, required=code in ("revenue", "tax", "employees"))
            for code, indicator in indicators.items()
        )
    return period


def seed_filings(*, on: datetime.date) -> list[ReportingPeriod]:
    """Eight past quarters closed with accepted filings (every fifth company late), and the quarter
    that just ended open: a third filed and accepted, one returned, the rest outstanding."""
    if ReportingPeriod.objects.exists():
        return list(ReportingPeriod.objects.all())
    indicators = seed_indicators()
    latest = add_months(quarter_start(on), -3)
    starts = [add_months(latest, -3 * back) for back in range(QUARTERS, 0, -1)]
    now = timezone.now()
    periods = []
    for index, starts_on in enumerate(starts):
        period = _period(starts_on, indicators)
        period_open(period=period)
        filings = list(Filing.objects.filter(period=period).select_related("company").order_by("company__name"))
        values = []
        for number, filing in enumerate(filings):
            late = (number + index) % 5 == 0
            filing.status = Filing.Status.ACCEPTED
            filing.submitted_on = period.deadline + datetime.timedelta(days=6 if late else -9)
            filing.submitted_at = filing.reviewed_at = now
            for code, value in _figures(filing.company, index).items():
                values.append(FilingValue(filing=filing, indicator=indicators[code], value=value))
        Filing.objects.bulk_update(filings, ["status", "submitted_on", "submitted_at", "reviewed_at"])
        FilingValue.objects.bulk_create(values)
        ReportingPeriod.objects.filter(pk=period.pk).update(status=ReportingPeriod.Status.CLOSED)
        periods.append(period)
    open_period = _period(latest, indicators)
    period_open(period=open_period)
    _seed_open_period(open_period, indicators)
    return [*periods, open_period]


def _seed_open_period(period: ReportingPeriod, indicators: dict[str, Indicator]) -> None:
    filings = list(Filing.objects.filter(period=period).select_related("company").order_by("company__name"))
    admins = {
        membership.company_id: membership.user
        for membership in TenantMembership.objects.filter(role=TenantMembership.Role.ADMIN).select_related("user")
    }
    staff = None
    for number, filing in enumerate(filings[: max(2, len(filings) // 3)]):
        figures = _figures(filing.company, QUARTERS)
        entries = {indicators[code].pk: (value, "季度业务增长") for code, value in figures.items()}
        filing_save(filing=filing, entries=entries, user=admins.get(filing.company_id), submit=True)
        if number == 1:
            filing_return(filing=filing, user=staff, comment="纳税额与完税证明不一致，请核对后重新提交并附完税证明。")
        else:
            filing_accept(filing=filing, user=staff)
