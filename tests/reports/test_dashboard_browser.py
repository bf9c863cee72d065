"""The dashboard in a real browser, at a phone's width and at a desk's: every chart is drawn (as
SVG by ECharts from the project's own static files) and nothing is wider than the screen.
Screenshots go to test-artifacts/."""

import datetime

import pytest
from playwright.sync_api import expect

from reports.dashboard import figures_freeze
from tests.portal.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    requires_chromium,
    screenshot,
)

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True)]
CHARTS = ["occupancy", "collection", "rent", "clusters", "expiries", "pipeline", "halls"]


def test_the_dashboard_draws_every_chart_on_a_phone_and_a_desk(page, live_server, tower, manager_user, screenshot):  # noqa: F811
    manager_user.set_password("pw-123456789")
    manager_user.save()
    figures_freeze(on=datetime.date(2026, 11, 24), months=12)
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.get_by_label("用户名").fill("manager")
    page.get_by_label("密码").fill("pw-123456789")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_contain_text("驾驶舱")
    for width, height, name in ((390, 844, "phone"), (1440, 900, "desk")):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        expect(page.locator("#kpi-occupancy")).to_have_text("50.0 %")
        for chart in CHARTS:
            expect(page.locator(f"#chart-{chart} svg")).to_have_count(1)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
        screenshot(name)
