"""A tenant, on a phone-sized Chromium, signs in, books a hall, applies for an apartment bed and files a
service request with a photo."""

import re

import pytest
from playwright.sync_api import expect

from apartments.models import ApartmentApplication
from events.models import Booking
from servicedesk.models import ServiceRequest
from tests.portal.conftest import requires_chromium
from tests.portal.test_portal import png_bytes

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True)]


def test_a_tenant_signs_in_books_a_hall_applies_for_a_bed_and_files_a_request(
    page, live_server, world, screenshot, tmp_path
):
    page.goto(f"{live_server.url}/portal/login/")
    expect(page.locator("h1")).to_have_text("登录租户门户")
    page.get_by_label("用户名或邮箱").fill("tenant-a")
    page.get_by_label("密码").fill("pw-123456789")
    screenshot("1-sign-in")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text(world["a"]["company"].name)
    screenshot("2-dashboard")

    page.goto(f"{live_server.url}/portal/halls/{world['hall'].pk}/?week=2026-12-07")
    page.get_by_label("日期").fill("2026-12-10")
    page.get_by_label("自").fill("14:00")
    page.get_by_label("至").fill("16:00")
    page.get_by_label("标题").fill("新品发布会")
    page.get_by_label("人数").fill("80")
    page.get_by_role("button", name="查看价格").click()
    expect(page.locator("#price")).to_contain_text("¥ 4,800.00")
    screenshot("3-price")
    page.get_by_role("button", name="确认预订").click()
    expect(page).to_have_url(re.compile(r"/portal/halls/$"))
    expect(page.locator("body")).to_contain_text("新品发布会")
    screenshot("4-booked")
    assert Booking.objects.get(title="新品发布会").company == world["a"]["company"]

    page.goto(f"{live_server.url}/portal/apartments/")
    page.get_by_label("员工姓名").fill("黄嘉怡")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_label("电话").fill("13900001111")
    page.get_by_label("期望入住日期").fill("2027-01-04")
    page.get_by_label("入住时长（月）").fill("12")
    page.get_by_role("button", name="申请", exact=True).click()
    expect(page.locator("body")).to_contain_text("黄嘉怡 (1101**********002X)")
    screenshot("5-apartment-application")
    assert ApartmentApplication.objects.get(name="黄嘉怡").status == "pending"

    photo = tmp_path / "leak.png"
    photo.write_bytes(png_bytes())
    page.goto(f"{live_server.url}/portal/requests/new/")
    page.get_by_label("位置").select_option(str(world["a"]["unit"].pk))
    page.get_by_label("类别").select_option("repair")
    page.get_by_label("内容").fill("会议室空调漏水")
    page.get_by_label("照片（JPEG、PNG 或 WebP，最多 5 张）").set_input_files(str(photo))
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#status")).to_have_text("待处理")
    expect(page.locator("img")).to_have_count(1)
    screenshot("6-service-request")
    filed = ServiceRequest.objects.get(description="会议室空调漏水")
    assert filed.photos.count() == 1
