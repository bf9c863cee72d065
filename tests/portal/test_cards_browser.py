"""On a phone the portal's tables are cards, each value under its column's name; on a desk they are
tables."""

import pytest
from playwright.sync_api import expect

from tests.portal.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True)]


def test_tables_are_cards_on_a_phone_and_tables_on_a_desk(page, live_server, world, screenshot):
    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("用户名或邮箱").fill("tenant-a")
    page.get_by_label("密码").fill("pw-123456789")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/portal/bills/")
    first = page.locator("table.cards tbody tr").first.locator("td").first
    expect(first).to_have_attribute("data-label", "账单编号")
    assert first.evaluate("cell => getComputedStyle(cell).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    header_height = page.locator("header.site-header").evaluate("header => header.getBoundingClientRect().height")
    assert header_height < 130, f"the header takes {header_height}px of an 844px phone screen"
    screenshot("phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    assert first.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
    screenshot("desk")
