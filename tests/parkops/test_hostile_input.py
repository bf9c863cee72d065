"""Hostile and careless input against a live server: no server error, no leak of another tenant's
text, and every limit holds as configured.

Each test drives the running app over HTTP (``live_server``, the same WSGI stack as production
bar gunicorn) and records every response; ``no_server_errors`` fails the test on any 5xx.
"""

import json
import threading
import uuid

import pytest
import requests
from django.urls import reverse
from rest_framework.authtoken.models import Token

from billing.models import Payment
from core.api.throttling import AnonThrottle, UserThrottle
from events.models import Booking
from tenants.models import CompanyYearFigure, Visitor
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db(transaction=True)


class Probe:
    """An HTTP client for the live server that keeps every response it got."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url, self.session, self.responses = base_url, requests.Session(), []
        self.session.headers["Accept-Language"] = "en"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(method, self.base_url + path, allow_redirects=False, timeout=30, **kwargs)
        self.responses.append(response)
        return response

    def sign_in(self, username: str, password: str, *, at: str = "portal:login") -> None:
        self("GET", reverse(at))
        answer = self.post_form(reverse(at), {"username": username, "password": password})
        assert answer.status_code == 302, answer.text[:500]

    def sign_in_portal(self, username: str, password: str) -> None:
        self.sign_in(username, password)

    def post_form(self, path: str, data: dict) -> requests.Response:
        return self(
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]},
            headers={"Referer": self.base_url + path},
        )


@pytest.fixture
def probes(live_server):
    made = []

    def make(token=None) -> Probe:
        made.append(Probe(live_server.url, token))
        return made[-1]

    yield make
    errors = [
        (r.request.method, r.url, r.status_code) for probe in made for r in probe.responses if r.status_code >= 500
    ]
    assert not errors, f"server errors: {errors}"


@pytest.fixture
def staff_token(django_user_model):
    user = django_user_model.objects.create_superuser("hostile-admin", password="pw-123456789")
    return Token.objects.create(user=user).key


@pytest.fixture
def tenant_token(world):
    return Token.objects.create(user=world["a"]["user"]).key


def api_error(response, status: int, code: str) -> str:
    """The message of an API error, after checking its status and the API's one error shape."""
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["code"] == code, body
    return body["message"]


def test_deeply_nested_json_is_a_400_on_every_json_endpoint(probes, world, tenant_token):
    anonymous, tenant = probes(), probes(tenant_token)
    nested = "[" * 1000 + "]" * 1000  # about 2 KB
    headers = {"Content-Type": "application/json"}
    message = api_error(anonymous("POST", reverse("api:token"), data=nested, headers=headers), 400, "parse_error")
    assert "nested more than 20 levels" in message
    api_error(tenant("POST", reverse("api:booking-list"), data=nested, headers=headers), 400, "parse_error")
    objects = '{"a":' * 500 + "1" + "}" * 500
    api_error(tenant("POST", reverse("api:service-request-list"), data=objects, headers=headers), 400, "parse_error")


def test_oversized_bodies_are_a_413_in_the_apis_shape(probes, world, tenant_token):
    tenant = probes(tenant_token)
    big = json.dumps({"description": "报" * 1_200_000})
    api_error(
        tenant("POST", reverse("api:service-request-list"), data=big, headers={"Content-Type": "application/json"}),
        413,
        "too_large",
    )
    form = {"username": "x" * 3_000_000, "password": "y"}
    api_error(probes()("POST", reverse("api:token"), data=form), 413, "too_large")


def test_nul_characters_are_a_400_in_query_strings_forms_and_json(probes, world, staff_token, tenant_token):
    staff, tenant = probes(staff_token), probes(tenant_token)
    assert "NUL" in api_error(staff("GET", reverse("api:company-list"), params={"search": "a\x00b"}), 400, "invalid")
    body = {"unit": world["a"]["unit"].pk, "category": "repair", "description": "漏水\u0000"}
    api_error(tenant("POST", reverse("api:service-request-list"), json=body), 400, "parse_error")
    admin = probes()
    admin.sign_in("hostile-admin", "pw-123456789", at="admin:login")
    for path in ("/admin/tenants/tenantcompany/", "/admin/events/booking/", "/admin/billing/bill/"):
        refused = admin("GET", path, params={"q": "\x00"})
        assert refused.status_code == 400 and "NUL" in refused.text
    browser = probes()
    browser.sign_in_portal("tenant-a", "pw-123456789")
    page = browser.post_form(
        reverse("portal:service_request_new"),
        {
            "unit": world["a"]["unit"].pk,
            "category": "repair",
            "priority": "normal",
            "description": "门坏了\x00",
        },
    )
    assert page.status_code == 400 and "NUL" in page.text
    assert world["a"]["company"].service_requests.count() == 1  # the one of the world, nothing new


def test_extreme_dates_are_refused_with_a_clear_message_and_break_no_list(probes, world, staff_token, tenant_token):
    staff, tenant = probes(staff_token), probes(tenant_token)
    hall = world["hall"]
    for starts in ("0001-01-01T10:00:00+08:00", "9999-12-31T10:00:00+08:00", "2016-06-01T10:00:00+08:00"):
        booking = {
            "hall": hall.pk,
            "title": "远古",
            "starts_at": starts,
            "ends_at": starts.replace("10:00", "11:00"),
            "attendees": 10,
            "layout": "theatre",
        }
        assert tenant("POST", reverse("api:booking-list"), json=booking).status_code == 400
    offset = {
        "hall": hall.pk,
        "title": "时区",
        "starts_at": "2026-12-10T14:00:00-23:21",
        "ends_at": "2026-12-10T15:00:00-23:21",
        "attendees": 10,
        "layout": "theatre",
    }
    assert tenant("POST", reverse("api:booking-list"), json=offset).status_code in (201, 400)
    assert staff("GET", reverse("api:booking-list"), params={"starts_after": "2026-12-03T14:00:00-23:21"}).ok
    assert (
        staff("GET", reverse("api:booking-list"), params={"starts_after": "9999-12-31T23:59:59-23:59"}).status_code
        == 400
    )
    assert staff("GET", reverse("api:booking-list")).ok and staff("GET", "/admin/events/booking/").status_code in (
        200,
        302,
        401,
        403,
    )
    assert not Booking.objects.filter(title="远古").exists()

    period = staff("POST", reverse("api:report-run-list"), json={"kind": "occupancy", "period": "0000-Q4"})
    assert "between 2000 and 2100" in api_error(period, 400, "invalid")
    application = {
        "name": "远未来",
        "id_type": "passport",
        "id_number": "E12345678",
        "phone": "13800001234",
        "wanted_from": "9999-12-31",
        "months": 60,
    }
    assert tenant("POST", reverse("api:apartment-application-list"), json=application).status_code == 400

    browser = probes()
    browser.sign_in_portal("tenant-a", "pw-123456789")
    for week in ("9999-12-31", "0001-01-01", "2026-13-45"):
        page = browser("GET", reverse("portal:hall", args=[hall.pk]), params={"week": week})
        assert page.status_code == 400 and ("2000-01-01" in page.text or "is not a date" in page.text)
    visit = browser.post_form(
        reverse("portal:visitors"),
        {
            "name": "古人",
            "phone": "13800000000",
            "email": "old@example.com",
            "host": "王",
            "day": "0001-01-01",
            "arrives": "10:00",
            "leaves": "11:00",
        },
    )
    assert visit.status_code == 200 and "2000-01-01" in visit.text
    assert not Visitor.objects.exists()
    assert browser("GET", reverse("portal:visitors")).ok


def test_page_numbers_beyond_any_list_are_a_404(probes, world, staff_token):
    staff = probes(staff_token)
    for page in ("99999999999999999999999", "9223372036854775808", "9" * 5000, "-1", "0"):
        for name in ("api:lease-list", "api:unit-list", "api:booking-list"):
            assert staff("GET", reverse(name), params={"page": page}).status_code == 404
    assert staff("GET", reverse("api:lease-list"), params={"company": "9" * 30}).status_code in (200, 400)


def test_a_conflict_never_names_another_tenants_booking(probes, world, django_user_model):
    token_b = Token.objects.create(user=world["b"]["user"]).key
    theirs = world["a"]["booking"]
    clash = {
        "hall": theirs.hall_id,
        "title": "我们的会",
        "starts_at": theirs.starts_at.isoformat(),
        "ends_at": theirs.ends_at.isoformat(),
        "attendees": 5,
        "layout": "theatre",
    }
    message = api_error(probes(token_b)("POST", reverse("api:booking-list"), json=clash), 409, "conflict")
    assert "is taken from" in message
    for secret in (theirs.title, world["a"]["company"].short_name, world["a"]["company"].name):
        assert secret not in message

    browser = probes()
    browser.sign_in_portal("tenant-b", "pw-123456789")
    local = theirs.starts_at.astimezone()
    page = browser.post_form(
        reverse("portal:hall", args=[theirs.hall_id]),
        {
            "day": f"{local:%Y-%m-%d}",
            "starts": f"{local:%H:%M}",
            "ends": f"{theirs.ends_at.astimezone():%H:%M}",
            "title": "我们的会",
            "attendees": 5,
            "layout": "theatre",
            "confirm": "1",
        },
    )
    assert page.status_code == 200 and "is taken from" in page.text and theirs.title not in page.text


def test_spoofed_forwarding_headers_do_not_escape_the_anonymous_rate(probes, world, monkeypatch):
    for throttle in (AnonThrottle, UserThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
        monkeypatch.setattr(throttle, "timer", lambda self=None: 1_800_000_000.0)  # one window throughout
    anonymous = probes()
    statuses = [
        anonymous(
            "POST",
            reverse("api:token"),
            json={"username": "nobody", "password": "x"},
            headers={"X-Forwarded-For": f"10.{n}.0.1"},
        ).status_code
        for n in range(6)
    ]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429, 429]


def test_one_address_cannot_guess_across_many_accounts(probes, world, settings, django_user_model):
    settings.PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for n in range(6):
        django_user_model.objects.create_user(f"member-{n}", password="right-password-1")
    anonymous = probes()
    answers = [
        api_error(
            anonymous(
                "POST",
                reverse("api:token"),
                json={"username": f"member-{n}", "password": "wrong"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
            ),
            400,
            "invalid",
        )
        for n in range(6)
    ]
    assert ["Too many failed" in answer for answer in answers] == [False] * 4 + [True] * 2
    locked = anonymous("POST", reverse("api:token"), json={"username": "member-5", "password": "right-password-1"})
    assert "Too many failed" in api_error(locked, 400, "invalid")
    portal = probes()  # the portal's sign-in counts against the same address
    portal("GET", reverse("portal:login"))
    page = portal.post_form(reverse("portal:login"), {"username": "member-4", "password": "right-password-1"})
    assert page.status_code == 200 and "Too many failed sign-in attempts" in page.text


@requires_postgres
def test_twenty_guesses_at_once_get_no_more_checks_than_the_limit(probes, world, settings):
    settings.PARKOPS_LOGIN_MAX_FAILURES = 5
    answers, barrier = [], threading.Barrier(20)
    clients = [probes() for _ in range(20)]

    def guess(client):
        barrier.wait()
        answers.append(client("POST", reverse("api:token"), json={"username": "tenant-a", "password": "wrong"}))

    threads = [threading.Thread(target=guess, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = [api_error(answer, 400, "invalid") for answer in answers]
    assert sum("Unable to log in" in message for message in messages) == 5
    assert sum("Too many failed" in message for message in messages) == 15


def race(calls) -> None:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        call()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@requires_postgres
def test_concurrent_duplicate_payments_are_one_201_and_409s(probes, world, staff_token):
    staff = probes(staff_token)
    reference = f"RACE-{uuid.uuid4().hex[:8]}"
    companies = [world["a"]["company"].pk, world["b"]["company"].pk] * 4
    race(
        [
            lambda company=company: staff(
                "POST",
                reverse("api:payment-list"),
                json={
                    "company": company,
                    "amount": "10.00",
                    "received_on": "2026-11-20",
                    "method": "bank_transfer",
                    "reference": reference,
                },
            )
            for company in companies
        ]
    )
    statuses = sorted(response.status_code for response in staff.responses)
    assert statuses == [201] + [409] * 7
    assert all(
        "already recorded" in r.json()["fields"]["reference"][0] for r in staff.responses if r.status_code == 409
    )
    assert Payment.objects.filter(reference=reference).count() == 1


@requires_postgres
def test_concurrent_submissions_of_one_years_figures_leave_one_row(probes, world):
    browsers = [probes() for _ in range(4)]
    for browser in browsers:
        browser.sign_in_portal("tenant-a", "pw-123456789")
    form = {
        "form": "figure",
        "year": "2025",
        "output_value": "1000000.00",
        "revenue": "900000.00",
        "headcount": "40",
        "patents": "1",
        "copyrights": "2",
    }
    race([lambda browser=browser: browser.post_form(reverse("portal:profile"), form) for browser in browsers])
    answers = [browser.responses[-1] for browser in browsers]
    assert all(answer.status_code in (200, 302) for answer in answers)
    refused = [answer for answer in answers if answer.status_code == 200]
    assert all("already has figures for this year" in answer.text for answer in refused)
    assert CompanyYearFigure.objects.filter(company=world["a"]["company"], year=2025).count() == 1


def test_admin_views_of_a_day_outside_the_range_show_today_with_a_message(probes, world, staff_token):
    admin = probes()
    admin.sign_in("hostile-admin", "pw-123456789", at="admin:login")
    building = world["a"]["unit"].building
    for day in ("9999-12-31", "0001-01-01"):
        roll = admin("GET", reverse("admin:leases_lease_rent_roll", args=[building.pk]), params={"on": day})
        plan = admin("GET", reverse("admin:spaces_building_stacking_plan", args=[building.pk]), params={"on": day})
        week = admin("GET", reverse("admin:events_hall_calendar", args=[world["hall"].pk]), params={"week": day})
        for page in (roll, plan, week):
            assert page.status_code == 200 and "Showing today" in page.text
