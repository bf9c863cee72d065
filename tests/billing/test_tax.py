"""VAT on every bill line, split from the tax-inclusive price at the rate in force for its period."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from billing.models import BillLine, TaxRate
from billing.services import bills_issue_due, tax_split
from tests.factories import monthly_lease

D = datetime.date


@pytest.fixture
def rates(db):
    """The rates of the 2019 reform (the data migration's), and a decree moving the fee to 5 % in 2026-07."""
    for kind, rate in (("rent", "0.09"), ("fee", "0.06"), ("apartment", "0.09"), ("other", "0.06")):
        TaxRate.objects.get_or_create(kind=kind, effective_from=D(2019, 4, 1), defaults={"rate": Decimal(rate)})
    TaxRate.objects.create(kind="fee", effective_from=D(2026, 7, 1), rate=Decimal("0.05"), note="演示法令")


def test_a_tax_inclusive_amount_splits_into_net_and_tax_rounded_once_per_line():
    # 10,000 ÷ 1.09 = 9,174.3119…: net 9,174.31, tax 825.69.
    assert tax_split(Decimal("10000.00"), Decimal("0.09")) == (Decimal("9174.31"), Decimal("825.69"))
    # 2,200 ÷ 1.06 = 2,075.4716…: net 2,075.47, tax 124.53.
    assert tax_split(Decimal("2200.00"), Decimal("0.06")) == (Decimal("2075.47"), Decimal("124.53"))
    # Rounding matters: 0.05 ÷ 1.06 = 0.0471…: net 0.05 and no tax at all on this line.
    assert tax_split(Decimal("0.05"), Decimal("0.06")) == (Decimal("0.05"), Decimal("0.00"))
    # 1,234.57 ÷ 1.13 = 1,092.5398…: net 1,092.54, tax 142.03.
    assert tax_split(Decimal("1234.57"), Decimal("0.13")) == (Decimal("1092.54"), Decimal("142.03"))


def test_each_line_keeps_the_rate_in_force_for_its_period(rates, today):
    lease = monthly_lease(starts_on=D(2026, 6, 1), ends_on=D(2026, 12, 31), fee_rate=Decimal("22"))
    bills_issue_due(on=D(2026, 7, 1))  # June and July: rent 10,000 and fee 2,200 each
    june, july = lease.bills.order_by("period_start")[:2]
    june_fee, july_fee = june.lines.get(kind="fee"), july.lines.get(kind="fee")
    assert (june_fee.tax_rate, june_fee.net_amount, june_fee.tax_amount) == (
        Decimal("0.0600"),
        Decimal("2075.47"),
        Decimal("124.53"),
    )
    # From 2026-07-01 the fee is taxed at 5 %: 2,200 ÷ 1.05 = 2,095.238…: net 2,095.24, tax 104.76.
    assert (july_fee.tax_rate, july_fee.net_amount, july_fee.tax_amount) == (
        Decimal("0.0500"),
        Decimal("2095.24"),
        Decimal("104.76"),
    )
    rent = july.lines.get(kind="rent")
    assert (rent.net_amount, rent.tax_amount) == (Decimal("9174.31"), Decimal("825.69"))


def test_the_database_refuses_a_line_whose_net_and_tax_do_not_make_its_amount(rates, today):
    lease = monthly_lease(starts_on=D(2026, 6, 1), ends_on=D(2026, 12, 31))
    line = BillLine.objects.filter(bill__lease=lease).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BillLine.objects.filter(pk=line.pk).update(tax_amount=line.tax_amount + Decimal("0.01"))


def test_the_bill_shows_net_and_tax_in_the_portal_and_the_api(rates, today, client, api, world):
    from django.urls import reverse

    a = world["a"]
    bill = a["lease"].bills.get(period_start=D(2026, 1, 1))  # rent 10,000 at 9 %
    client.force_login(a["user"])
    page = client.get(reverse("portal:bill", args=[bill.pk])).content.decode()
    assert "9,174.31" in page and "825.69" in page and "(9%)" in page
    api.force_authenticate(a["user"])
    [line] = api.get(reverse("api:bill-detail", args=[bill.pk])).json()["lines"]
    assert (line["tax_rate"], line["net_amount"], line["tax_amount"]) == ("0.0900", "9174.31", "825.69")
