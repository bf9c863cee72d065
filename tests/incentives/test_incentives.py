"""Incentive policies: eligibility on reported figures, cluster and lease; a granted rent reduction
reaching the company's bills as credit-note lines; a claw-back flagged when accepted figures fall
below the condition; a headcount quota."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apartments.models import ApartmentQuota
from billing.models import Bill, LedgerEntry
from billing.services import bills_issue_due
from filings.models import Filing
from filings.services import filing_accept, filing_save, period_open
from incentives.models import GrantCredit, IncentiveGrant, IncentivePolicy
from incentives.services import eligibility, grant_create, grant_credits_apply, grant_decide, grants_apply_due
from notifications.models import Notification
from tests.factories import IndustryClusterFactory, TenantCompanyFactory
from tests.filings.conftest import accepted, quarter

pytestmark = pytest.mark.django_db
D = datetime.date
QUARTERS_2025 = [D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1)]


@pytest.fixture
def music():
    return IndustryClusterFactory(code="music")


@pytest.fixture
def rent_policy(music):
    """30 % off the rent for a year, for digital-music companies whose tax over the last four
    quarters reaches 100 (万元)."""
    policy = IncentivePolicy.objects.create(
        name_zh="数字音乐企业首年租金减免",
        kind="rent_reduction",
        reduction_percent=Decimal("30"),
        months=12,
        indicator_code="tax",
        threshold=Decimal("100"),
        quarters_counted=4,
    )
    policy.clusters.add(music)
    return policy


@pytest.fixture
def periods(indicators):
    return [quarter(start, start + datetime.timedelta(days=120), indicators, required=()) for start in QUARTERS_2025]


def file_tax(periods, company, *amounts):
    for period, amount in zip(periods, amounts, strict=True):
        accepted(period, company, tax=amount)


def test_eligibility_follows_the_cluster_the_lease_and_the_reported_tax(world, music, rent_policy, periods):
    company = world["a"]["company"]  # leased through 2026
    company.primary_cluster = music
    company.save()
    file_tax(periods, company, "30", "30", "20", "25")  # 105
    found = eligibility(policy=rent_policy, company=company, on=D(2026, 1, 1))
    assert found.eligible and found.basis["total"] == "105.00"
    assert found.basis["figures"] == {"2025-Q4": "25.00", "2025-Q3": "20.00", "2025-Q2": "30.00", "2025-Q1": "30.00"}

    short = TenantCompanyFactory(primary_cluster=music)
    file_tax(periods, short, "30", "30", "20", "10")  # 90, and no lease
    reasons = eligibility(policy=rent_policy, company=short, on=D(2026, 1, 1)).reasons
    assert any("no lease in force" in reason for reason in reasons)
    assert any("is 90.00, below the 100.00 required" in reason for reason in reasons)

    elsewhere = world["b"]["company"]
    file_tax(periods[1:], elsewhere, "50", "50", "50")
    reasons = eligibility(policy=rent_policy, company=elsewhere, on=D(2026, 1, 1)).reasons
    assert any("industry cluster is not one the policy covers" in reason for reason in reasons)
    assert any("Only 3 of the last 4 quarters" in reason for reason in reasons)
    with pytest.raises(ValidationError, match="industry cluster"):
        grant_create(policy=rent_policy, company=elsewhere, starts_on=D(2026, 1, 1))
    assert not IncentiveGrant.objects.exists()


def test_a_granted_rent_reduction_reaches_the_bills_as_credit_note_lines(world, music, rent_policy, periods):
    company = world["a"]["company"]  # 100 m² at 100 a month: 10,000 of rent a month, billed through February
    company.primary_cluster = music
    company.save()
    file_tax(periods, company, "30", "30", "20", "25")
    grant = grant_create(policy=rent_policy, company=company, starts_on=D(2026, 1, 1))
    assert (grant.ends_on, grant.basis["total"]) == (D(2026, 12, 31), "105.00")
    assert grant_credits_apply(grant=grant, on=D(2026, 11, 24)) == (2, [])  # January and February
    credits = list(GrantCredit.objects.filter(grant=grant).order_by("bill__due_on"))
    assert [credit.amount for credit in credits] == [Decimal("3000.00"), Decimal("3000.00")]
    notes = LedgerEntry.objects.filter(kind="credit_note", bill__company=company)
    assert sum(entry.credit for entry in notes) == Decimal("6000.00")
    assert all("数字音乐企业首年租金减免" in entry.reason for entry in notes)
    january = credits[0].bill
    january.refresh_from_db()
    assert january.amount_due == Decimal("7000.00")  # the bill itself is never edited: the ledger says so
    assert grant_credits_apply(grant=grant, on=D(2026, 11, 24)) == (0, [])  # once per line
    bills_issue_due(on=D(2026, 3, 1))
    assert grants_apply_due(on=D(2026, 3, 1)) == 1  # March's bill, credited by the daily job
    march = Bill.objects.get(company=company, due_on__month=3, due_on__year=2026)
    assert march.amount_due == Decimal("7000.00")


def test_figures_below_the_condition_at_review_flag_a_claw_back_for_staff(
    world,
    music,
    rent_policy,
    periods,
    indicators,
    operations_user,
):
    company = world["a"]["company"]
    company.primary_cluster = music
    company.save()
    file_tax(periods, company, "30", "30", "20", "25")
    grant = grant_create(policy=rent_policy, company=company, starts_on=D(2026, 1, 1))
    q1 = quarter(D(2026, 1, 1), D(2026, 12, 15), indicators, required=())
    period_open(period=q1)
    filing = Filing.objects.get(period=q1, company=company)
    filing_save(
        filing=filing, entries={indicators["tax"].pk: ("5", "一季度亏损")}, user=world["a"]["user"], submit=True
    )
    filing_accept(filing=filing, user=operations_user)
    grant.refresh_from_db()
    # The last four quarters now: 30 + 20 + 25 + 5 = 80, below 100
    assert grant.status == "flagged" and "is 80.00, below the 100.00 required" in grant.flag_reason
    assert Notification.objects.filter(recipient=operations_user, event="incentive_flagged").exists()
    assert grant_credits_apply(grant=grant, on=D(2026, 11, 24)) == (0, [])  # nothing more while flagged
    with pytest.raises(ValidationError, match="Say why"):
        grant_decide(grant=grant, keep=False, note=" ", user=operations_user)
    withdrawn = grant_decide(grant=grant, keep=False, note="纳税未达标", user=operations_user, on=D(2026, 4, 30))
    assert (withdrawn.status, withdrawn.ends_on, withdrawn.decided_by) == ("withdrawn", D(2026, 4, 30), operations_user)


def test_a_headcount_quota_sets_the_companys_apartment_beds(world, indicators, periods):
    policy = IncentivePolicy.objects.create(
        name_zh="人才公寓配额", kind="apartment_quota", employees_per_bed=10, max_beds=5, requires_lease=True
    )
    company = world["a"]["company"]
    accepted(periods[-1], company, employees="34")
    grant = grant_create(policy=policy, company=company, starts_on=D(2026, 1, 1))
    assert (grant.beds, grant.basis["headcount"], grant.basis["headcount_from"]) == (3, 34, "2025-Q4")
    assert ApartmentQuota.objects.get(company=company).beds == 3
    with pytest.raises(ValidationError, match="already holds this policy"):
        grant_create(policy=policy, company=company, starts_on=D(2026, 6, 1))


def test_staff_grant_in_the_admin_and_decide_on_a_flag(
    client, world, music, rent_policy, periods, operations_user, django_capture_on_commit_callbacks
):
    company = world["a"]["company"]
    company.primary_cluster = music
    company.save()
    file_tax(periods, company, "30", "30", "20", "25")
    client.force_login(operations_user)
    refused = client.post(
        "/admin/incentives/incentivegrant/add/",
        {"policy": rent_policy.pk, "company": world["b"]["company"].pk, "starts_on": "2026-01-01"},
    )
    assert "industry cluster is not one the policy covers" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        granted = client.post(
            "/admin/incentives/incentivegrant/add/",
            {"policy": rent_policy.pk, "company": company.pk, "starts_on": "2026-01-01"},
        )
    assert granted.status_code == 302
    grant = IncentiveGrant.objects.get(company=company)
    assert grant.granted_by == operations_user and grant.credits.count() == 2  # January and February, once committed
    IncentiveGrant.objects.filter(pk=grant.pk).update(
        status="flagged", flag_reason="纳税不足", flagged_at="2026-11-24T10:00+08:00"
    )
    client.post(f"/admin/incentives/incentivegrant/{grant.pk}/decide/", {"decision": "keep", "note": "疫情影响，保留"})
    grant.refresh_from_db()
    assert (grant.status, grant.decision_note) == ("active", "疫情影响，保留")
