"""A company admin, on a phone-sized Chromium, files one period of park statistics: a figure that
moved too far is refused until it is explained, then the filing is submitted and locked."""

import datetime

import pytest
from playwright.sync_api import expect

from filings.models import Filing
from filings.services import period_open
from tests.portal.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    requires_chromium,
    screenshot,
)

from .conftest import accepted, quarter

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_a_company_files_a_period_of_statistics_in_the_portal(page, live_server, world, indicators, screenshot):  # noqa: F811
    company = world["a"]["company"]
    accepted(quarter(D(2026, 4, 1), D(2026, 7, 31), indicators), company, revenue="100", tax="10", employees="30")
    period = quarter(D(2026, 7, 1), D(2026, 11, 30), indicators)
    period_open(period=period)
    filing = Filing.objects.get(period=period, company=company)

    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("用户名或邮箱").fill("tenant-a")
    page.get_by_label("密码").fill("pw-123456789")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="园区统计").first.click()
    expect(page.locator("h1")).to_have_text("园区统计")
    page.get_by_role("link", name="2026-Q3").click()
    screenshot("1-form")

    page.get_by_label("营业收入（万元） *").fill("260")  # 100 last quarter: more than 50 % up
    page.get_by_label("纳税额（万元） *").fill("11")
    page.get_by_label("从业人员（人） *").fill("32")
    page.get_by_role("button", name="提交园区").click()
    expect(page.locator("body")).to_contain_text("请说明")
    screenshot("2-needs-an-explanation")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert Filing.objects.get(pk=filing.pk).status == "draft"

    page.get_by_label("营业收入 的说明").fill("新签两个大客户")
    page.get_by_role("button", name="提交园区").click()
    expect(page.locator("#filing-status")).to_have_text("已提交")
    expect(page.locator("body")).to_contain_text("已提交。园区工作人员将审核数据")
    screenshot("3-submitted")
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.values.get(indicator__code="revenue").explanation == "新签两个大客户"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
