"""Both front doors, page by page, in Chromium and in Chinese, on the seeded demo tower: every portal
page at a phone's 390×844 and a desk's 1440×900, and the main admin lists and change pages at
1440×900. Each page is screenshotted into test-artifacts/page-walk/ and fails the test when it is
wider than the screen, shows an English string our catalogue (or Django's) translates, or breaks a
WCAG 2.x A or AA rule that axe-core checks (tests/page_checks.py)."""

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from apartments.models import BedAllocation
from billing.models import Bill
from events.models import Hall
from filings.models import Filing
from reports.services import reports_request_monthly_occupancy
from servicedesk.models import ServiceRequest
from tenants.models import TenantCompany, Visitor
from tenants.services import invitation_send
from tests.page_checks import lower_case_labels, page_problems
from tests.portal.conftest import ARTIFACTS, browser_type_launch_args, requires_chromium  # noqa: F401  (fixture)

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True)]

# The rows our data migrations write, which the demo relies on; a transactional test that ran before
# this one emptied their tables. Each function is idempotent (get_or_create).
DATA_MIGRATIONS = [
    ("banking", "0002_layouts_and_guards", "layouts_add"),
    ("billing", "0003_default_tax_rates", "rates_add"),
    ("billing", "0007_default_reminder_schedule", "steps_add"),
    ("billing", "0009_utility_tax_rates", "rates_add"),
    ("notifications", "0002_default_duties", "add_duties"),
    ("notifications", "0005_filing_duties", "add_duties"),
]


def migration_rows_restore() -> None:
    for app, migration, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(f"{app}.migrations.{migration}"), function)(django_apps, None)


PHONE, DESK = {"width": 390, "height": 844}, {"width": 1440, "height": 900}
SHOTS = ARTIFACTS / "page-walk"

# The models staff work with every day: each one's list and the change page of its first row.
MAIN_MODELS = [
    "spaces.building",
    "spaces.floor",
    "spaces.unit",
    "leases.lease",
    "leases.prospect",
    "billing.bill",
    "billing.payment",
    "billing.ledgerentry",
    "billing.fapiao",
    "banking.bankstatement",
    "banking.statementline",
    "meters.meter",
    "meters.meterreading",
    "meters.utilityrun",
    "apartments.apartmentapplication",
    "apartments.apartmentroom",
    "apartments.bedallocation",
    "events.hall",
    "events.booking",
    "events.event",
    "tenants.tenantcompany",
    "tenants.industrycluster",
    "tenants.partneragreement",
    "tenants.tenantmembership",
    "tenants.visitor",
    "servicedesk.servicerequest",
    "filings.reportingperiod",
    "filings.filing",
    "incentives.incentivepolicy",
    "incentives.incentivegrant",
    "reports.reportrun",
]


def portal_pages(company: TenantCompany) -> list[str]:
    """Every page of the portal a company admin opens, with the demo's first record where a page
    shows one record."""
    bill = Bill.objects.filter(company=company).exclude(number=None).order_by("-issued_on").first()
    request = ServiceRequest.objects.filter(company=company).order_by("pk").first()
    filing = Filing.objects.filter(company=company).order_by("-period__starts_on").first()
    visitor = Visitor.objects.filter(company=company).order_by("pk").first()
    assert bill and request and filing and visitor and BedAllocation.objects.filter(company=company).exists()
    names = [
        "dashboard",
        "bills",
        "account",
        "invoicing",
        "meters",
        "utility_charges",
        "halls",
        "halls_grid",
        "apartments",
        "profile",
        "members",
        "visitors",
        "notifications",
        "notification_settings",
        "filings",
        "service_requests",
        "service_request_new",
    ]
    return [reverse(f"portal:{name}") for name in names] + [
        reverse("portal:halls_grid") + "?week=2026-11-30",
        reverse("portal:bill", args=[bill.pk]),
        reverse("portal:hall", args=[Hall.objects.order_by("pk").first().pk]),
        reverse("portal:filing", args=[filing.pk]),
        reverse("portal:service_request", args=[request.pk]),
    ]


def admin_pages(root) -> list[str]:
    as_root = RequestFactory().get("/admin/")
    as_root.user = root
    grid = reverse("admin:events_hall_grid")
    pages = [reverse("admin:index"), reverse("reports:dashboard"), grid, grid + "?week=2026-11-30"]
    registry = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
    for label in MAIN_MODELS:
        model_admin = registry[label]
        info = (model_admin.model._meta.app_label, model_admin.model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model_admin.get_queryset(as_root).order_by("pk").first()
        assert first is not None, f"the demo has no {label}"
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def walk(page, base: str, paths: list[str], *, prefix: str, axe_exclude: tuple[str, ...] = ()) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in paths:
        response = page.goto(base + path)
        if response is None or response.status != 200 or page.url != base + path:  # not sent to sign in
            problems.append(f"{prefix} {path}: answered {response and response.status} at {page.url}")
            continue
        name = re.sub(r"[^a-z0-9]+", "-", path.replace("?", "-")).strip("-") or "home"
        page.screenshot(path=str(SHOTS / f"{prefix}-{name}.png"), full_page=True)
        problems += [f"{prefix} {path}: {problem}" for problem in page_problems(page, axe_exclude=axe_exclude)]
    return problems


def sign_in(page, base: str, path: str, username: str, button: str) -> None:
    page.goto(base + path)
    page.get_by_label(re.compile("用户名")).fill(username)
    page.get_by_label("密码").fill("parkops-demo")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_every_portal_page_and_the_main_admin_pages_fit_read_in_chinese_and_pass_axe(browser, live_server):
    # Seeded in Chinese, as `make demo` and the workers do: reasons and notes are written as computed.
    migration_rows_restore()
    with translation.override("zh-hans"):
        call_command("seed_demo", stdout=StringIO())
        reports_request_monthly_occupancy(on=timezone.localdate())  # rendered at once: Celery is eager here
    company = TenantCompany.objects.get(short_name="酷狗音乐")
    kugou = get_user_model().objects.get(username="kugou")
    invitation = invitation_send(company=company, email="new.colleague@example.com", role="member", invited_by=kugou)
    base = live_server.url
    problems = []

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    signed_out = [
        reverse("portal:login"),
        reverse("portal:password_reset"),
        reverse("portal:password_reset_done"),
        reverse("portal:invitation", args=[invitation.token]),
    ]
    for size in (PHONE, DESK):
        page.set_viewport_size(size)
        problems += walk(page, base, signed_out, prefix=f"portal-{size['width']}")
    sign_in(page, base, reverse("portal:login"), "kugou", "登录")
    paths = portal_pages(company)
    for size in (PHONE, DESK):
        page.set_viewport_size(size)
        problems += walk(page, base, paths, prefix=f"portal-{size['width']}")
    context.close()

    # In English, labels and headers read as English: capitalised, not field names as they are.
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Shanghai", viewport=DESK)
    page = context.new_page()
    page.goto(base + reverse("portal:login"))
    page.get_by_label("Username or email").fill("kugou")
    page.get_by_label("Password").fill("parkops-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    for path in paths:
        page.goto(base + path)
        assert page.url == base + path and page.locator("html").get_attribute("lang") == "en", page.url
        problems += [f"portal-en {path}: {problem}" for problem in lower_case_labels(page)]
    context.close()

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=DESK)
    page = context.new_page()
    sign_in(page, base, reverse("admin:login"), "admin", "登录")
    index, *others = admin_pages(get_user_model().objects.get(username="admin"))
    problems += walk(page, base, [index], prefix="admin-1440")
    # The sidebar of models is the same on every page: axe checks it on the index only (half the time).
    problems += walk(page, base, others, prefix="admin-1440", axe_exclude=("#nav-sidebar",))
    context.close()

    assert not problems, "\n".join(problems)
