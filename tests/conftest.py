import datetime
import os
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation
from rest_framework.test import APIClient

from apartments.models import ApartmentApplication, ApartmentQuota
from apartments.services import apartment_apply, application_approve
from billing.services import bills_issue_due, deposit_receive, payment_record
from events.models import Booking, Event, Hall
from events.services import booking_request
from leases.services import lease_create, lease_sign
from parkops.roles import MANAGERS, OPERATIONS, roles_ensure
from servicedesk.services import service_request_file
from tenants.models import CompanyContact, TenantMembership
from tests.factories import BedFactory, HallFactory, PartnerAgreementFactory, TenantCompanyFactory, UnitFactory

ROOT = Path(__file__).resolve().parent.parent

requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: DATABASE_URL is not set to a postgres:// URL (.ci/run sets it)",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: REDIS_URL is not set (.ci/run sets it)"
)


def wait_for(condition, *, timeout: float, interval: float = 0.2, what: str):
    """Poll ``condition`` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


def race(action, arguments, *, refused=Exception) -> list[str]:
    """Run ``action(argument)`` for every argument in threads released at the same instant; each
    thread closes its own database connection. Returns "won" or "refused" per call."""
    from django.db import connection

    barrier, outcomes = threading.Barrier(len(arguments)), []

    def attempt(argument):
        try:
            barrier.wait()
            action(argument)
            outcomes.append("won")
        except refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: sign-in and throttle counters of one test (all from
    127.0.0.1) must not lock out the next."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def english():
    """Tests read their messages in English; the Chinese texts are tested where the language is the point."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def database_url_for_subprocess() -> str:
    """The URL of the database this test runs against (the test database, not the configured one)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def celery_worker_queue():
    """A real Celery worker in a subprocess, consuming a queue of its own on the configured Redis.

    Yields the queue's name; the test sends tasks there with ``apply_async(queue=...)``.
    """
    from parkops.celery import app

    queue = f"parkops-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parkops.settings.test",
        "DATABASE_URL": database_url_for_subprocess(),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "parkops",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=30)


# Two tenant companies with one of everything, for isolation tests of the API and the portal.

D = datetime.date


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=True)
def pinned_clock(request, monkeypatch):
    """Every test starts at 2026-11-24 10:00 in Guangzhou, its clock running from there (the server
    thread of ``live_server`` too), so
    that dates written into the tests (bookings in December 2026, leases of 2026) keep their meaning
    whatever day the suite runs. Tests that drive other processes, which keep the real time, are
    marked ``real_clock``."""
    if request.node.get_closest_marker("real_clock"):
        return None
    moment, started = at(D(2026, 11, 24), 10), time.monotonic()
    monkeypatch.setattr(timezone, "now", lambda: moment + datetime.timedelta(seconds=time.monotonic() - started))
    return moment


@pytest.fixture
def hall(db):
    return HallFactory(name_zh="多功能厅A", name_en="Hall A")


def tenant_world(name: str, hall: Hall, seq: int):
    """A company with a login, a signed lease, bills, a payment, a contact, an agreement and a booking."""
    company = TenantCompanyFactory(short_name=name)
    lease = lease_create(
        number=f"L-{name}",
        tenant=company,
        units=[UnitFactory(leasable_area=Decimal("100"))],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
    )
    lease_sign(lease=lease, signed_on=D(2025, 12, 1))
    bills_issue_due(on=D(2026, 2, 1))
    payment = payment_record(
        company=company,
        amount=Decimal("100"),
        received_on=D(2026, 1, 3),
        method="bank_transfer",
        reference=f"REF-{name}",
    )
    deposit = deposit_receive(
        lease_id=lease.pk,
        company_id=company.pk,
        amount=Decimal("100"),
        received_on=D(2025, 12, 1),
        reference=f"DEP-{name}",
        required=Decimal("100"),
    )
    contact = CompanyContact.objects.create(company=company, name=f"{name} 联系人")
    agreement = PartnerAgreementFactory(partner=company, title=f"{name} 协议")
    booking = booking_request(
        booking=Booking(
            hall=hall,
            organiser="tenant",
            company=company,
            title=f"{name} 会议",
            starts_at=at(D(2026, 12, 1), 9 + 3 * seq),
            ends_at=at(D(2026, 12, 1), 10 + 3 * seq),
            attendees=10,
        )
    )
    unit = lease.units.get()
    quota = ApartmentQuota.objects.create(company=company, beds=2)
    application = apartment_apply(
        application=ApartmentApplication(
            company=company,
            name=f"{name}员工",
            id_number="11010519491231002X",
            phone="13800001234",
            wanted_from=D(2026, 12, 1),
            months=6,
        )
    )
    allocation = application_approve(application=application, bed=BedFactory())
    service_request = service_request_file(
        company=company, unit=unit, category="repair", priority="normal", description=f"{name} 报修"
    )
    return {
        "company": company,
        "lease": lease,
        "bill": lease.bills.exclude(status="scheduled").first(),
        "payment": payment,
        "ledger_entry": payment.ledger_entries.get(),
        "deposit_entry": deposit,
        "contact": contact,
        "agreement": agreement,
        "booking": booking,
        "unit": unit,
        "application": application,
        "allocation": allocation,
        "service_request": service_request,
        "quota": quota,
    }


@pytest.fixture
def world(db, hall, django_user_model):
    a, b = tenant_world("甲", hall, 0), tenant_world("乙", hall, 1)
    for key, data in (("a", a), ("b", b)):
        user = django_user_model.objects.create_user(f"tenant-{key}", password="pw-123456789")
        TenantMembership.objects.create(user=user, company=data["company"], role="admin")
        data["user"] = user
    Event.objects.create(title="公开活动", capacity=10)
    return {"a": a, "b": b, "hall": hall}


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def operations_user(django_user_model):
    user = django_user_model.objects.create_user("ops", password="pw-123456789", is_staff=True)
    user.groups.add(roles_ensure()[OPERATIONS])
    return user


@pytest.fixture
def manager_user(django_user_model):
    user = django_user_model.objects.create_user(
        "manager", password="pw-123456789", is_staff=True, email="manager@parkops.example"
    )
    user.groups.add(roles_ensure()[MANAGERS])
    return user
