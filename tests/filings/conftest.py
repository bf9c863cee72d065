import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from filings.models import Filing, FilingValue, Indicator, PeriodIndicator, ReportingPeriod
from filings.services import period_open

D = datetime.date


@pytest.fixture
def indicators(db):
    """营业收入 and 纳税额 in 万元 (a move beyond 50 % needs an explanation), 从业人员 in people."""
    common = {"effective_from": D(2020, 1, 1), "definition": "按统计报表制度口径填报"}
    return {
        "revenue": Indicator.objects.create(
            code="revenue",
            name_zh="营业收入",
            name_en="Revenue",
            unit="万元",
            change_limit=Decimal("50"),
            order=1,
            **common,
        ),
        "tax": Indicator.objects.create(
            code="tax", name_zh="纳税额", name_en="Tax paid", unit="万元", change_limit=Decimal("50"), order=2, **common
        ),
        "employees": Indicator.objects.create(
            code="employees", name_zh="从业人员", name_en="Employees", unit="人", decimal_places=0, order=3, **common
        ),
    }


def quarter(starts_on, deadline, indicators, required=("revenue", "tax", "employees")):
    period = ReportingPeriod.objects.create(kind="quarter", starts_on=starts_on, deadline=deadline)
    for code, indicator in indicators.items():
        PeriodIndicator.objects.create(period=period, indicator=indicator, required=code in required)
    return period


def accepted(period, company, **values):
    """A filing already accepted, with its values (indicator code → value)."""
    period_open(period=period)
    filing = Filing.objects.get(period=period, company=company)
    now = timezone.now()
    Filing.objects.filter(pk=filing.pk).update(
        status="accepted", submitted_at=now, submitted_on=period.deadline, reviewed_at=now
    )
    for code, value in values.items():
        FilingValue.objects.create(filing=filing, indicator=Indicator.objects.get(code=code), value=Decimal(value))
    filing.refresh_from_db()
    return filing
