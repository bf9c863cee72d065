"""Reading filings: the values a company sees beside each figure, a period's completion, a
company's history. Each a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from core.dates import add_months
from tenants.models import IndustryCluster, TenantCompany
from tenants.selectors import scope_to_company

from .models import Filing, FilingValue, Indicator, ReportingPeriod

COUNTED = (Filing.Status.SUBMITTED, Filing.Status.ACCEPTED)


def comparison_values(*, filing: Filing) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Indicator code → (the previous period's value, the same period's a year before), from the
    company's filed figures (submitted or accepted) of periods of the same kind."""
    period = filing.period
    previous_start, last_year_start = period.shifted(-period.months), period.shifted(-12)
    rows = FilingValue.objects.filter(
        filing__company=filing.company_id,
        filing__status__in=COUNTED,
        filing__period__kind=period.kind,
        filing__period__starts_on__in=[previous_start, last_year_start],
    ).values_list("indicator__code", "filing__period__starts_on", "value")
    found: dict[str, dict[datetime.date, Decimal | None]] = {}
    for code, starts_on, value in rows:
        found.setdefault(code, {})[starts_on] = value
    return {code: (values.get(previous_start), values.get(last_year_start)) for code, values in found.items()}


@dataclass
class Completion:
    """How far a period's filings have come: filed (submitted or accepted), accepted, returned,
    outstanding, late (by the deadline), exempt."""

    label: str
    total: int = 0
    filed: int = 0
    accepted: int = 0
    returned: int = 0
    outstanding: int = 0
    late: int = 0
    exempt: int = 0

    @property
    def rate(self) -> Decimal | None:
        counted = self.total - self.exempt
        return (Decimal(self.filed) / counted * 100).quantize(Decimal("0.1")) if counted else None


@dataclass
class PeriodCompletion:
    period: ReportingPeriod
    overall: Completion
    clusters: list[Completion] = field(default_factory=list)


def period_completion(*, period: ReportingPeriod, on: datetime.date) -> PeriodCompletion:
    """Completion of the period, overall and per industry cluster (one query)."""
    late = Q(status__in=[Filing.Status.DRAFT, Filing.Status.RETURNED]) & Q(period__deadline__lt=on) | Q(
        submitted_on__gt=period.deadline
    )
    rows = (
        Filing.objects.filter(period=period)
        .values("company__primary_cluster")
        .annotate(
            total=Count("pk"),
            filed=Count("pk", filter=Q(status__in=COUNTED)),
            accepted=Count("pk", filter=Q(status=Filing.Status.ACCEPTED)),
            returned=Count("pk", filter=Q(status=Filing.Status.RETURNED)),
            outstanding=Count("pk", filter=Q(status__in=[Filing.Status.DRAFT, Filing.Status.RETURNED])),
            late=Count("pk", filter=late),
            exempt=Count("pk", filter=Q(status=Filing.Status.EXEMPT)),
        )
        .order_by("company__primary_cluster")
    )
    clusters = IndustryCluster.objects.in_bulk()
    overall = Completion(label="")
    per_cluster = []
    keys = ("total", "filed", "accepted", "returned", "outstanding", "late", "exempt")
    for row in rows:
        cluster = clusters.get(row["company__primary_cluster"])
        one = Completion(label=cluster.name if cluster else "—", **{key: row[key] for key in keys})
        per_cluster.append(one)
        for key in keys:
            setattr(overall, key, getattr(overall, key) + row[key])
    return PeriodCompletion(period=period, overall=overall, clusters=per_cluster)


def filings_for(*, user):
    """The filings a tenant user's company may see: its own, never another's."""
    return scope_to_company(
        Filing.objects.select_related("period", "company"), user=user, company_field="company"
    ).exclude(period__status=ReportingPeriod.Status.DRAFT)


def company_history(*, company: TenantCompany) -> list[tuple[ReportingPeriod, str, dict[str, Decimal | None]]]:
    """The company's filed periods, newest first: (period, status, indicator code → value); two queries."""
    filings = list(
        Filing.objects.filter(company=company, status__in=COUNTED)
        .select_related("period")
        .order_by("-period__starts_on")
    )
    values: dict[int, dict[str, Decimal | None]] = {filing.pk: {} for filing in filings}
    for filing_id, code, value in FilingValue.objects.filter(filing__in=filings).values_list(
        "filing", "indicator__code", "value"
    ):
        values[filing_id][code] = value
    return [(filing.period, filing.status, values[filing.pk]) for filing in filings]


def company_history_table(*, company: TenantCompany) -> dict:
    """The company's filed periods as a table: a column per indicator, named as the catalogue names
    it now and in its order; rows (period, status label, values). Three queries."""
    history = company_history(company=company)
    codes = {code for _period, _status, values in history for code in values}
    names: dict[str, str] = {}
    for indicator in Indicator.objects.filter(code__in=codes).order_by("order", "code", "-effective_from"):
        names.setdefault(indicator.code, f"{indicator.name}（{indicator.unit}）")
    labels = dict(Filing.Status.choices)
    rows = [(period, labels[status], [values.get(code) for code in names]) for period, status, values in history]
    return {"columns": list(names.values()), "rows": rows}


def accepted_totals(
    *, companies, first_day: datetime.date, last_day: datetime.date, codes
) -> dict[tuple[int, str], Decimal]:
    """(company pk, indicator code) → the sum of the accepted values of the quarters lying wholly
    within the days given (quarterly periods only, so that months and quarters are not counted twice)."""
    last_quarter_start = add_months(last_day.replace(day=1), -2)
    rows = FilingValue.objects.filter(
        filing__company__in=companies,
        filing__status=Filing.Status.ACCEPTED,
        filing__period__kind=ReportingPeriod.Kind.QUARTER,
        filing__period__starts_on__gte=first_day,
        filing__period__starts_on__lte=last_quarter_start,
        indicator__code__in=codes,
        value__isnull=False,
    ).values_list("filing__company", "indicator__code", "value")
    totals: dict[tuple[int, str], Decimal] = {}
    for company, code, value in rows:
        totals[(company, code)] = totals.get((company, code), Decimal("0")) + value
    return totals


def latest_period() -> ReportingPeriod | None:
    """The period being filed now, else the last one closed."""
    periods = ReportingPeriod.objects.exclude(status=ReportingPeriod.Status.DRAFT)
    return (
        periods.filter(status=ReportingPeriod.Status.OPEN).order_by("-starts_on").first()
        or periods.order_by("-starts_on").first()
    )
