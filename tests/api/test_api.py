from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Bill, Payment
from events.models import Booking
from leases.models import Lease
from reports.models import ReportRun
from tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db

# (route name, key of the tenant's object in the world fixture)
TENANT_ENDPOINTS = [
    ("company", "company"),
    ("contact", "contact"),
    ("partner-agreement", "agreement"),
    ("lease", "lease"),
    ("bill", "bill"),
    ("payment", "payment"),
    ("ledger-entry", "ledger_entry"),
    ("deposit-entry", "deposit_entry"),
    ("booking", "booking"),
    ("unit", "unit"),
    ("apartment-application", "application"),
    ("bed-allocation", "allocation"),
    ("service-request", "service_request"),
]


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_token_auth_issues_a_token_for_username_and_password(api, world):
    response = api.post(reverse("api:token"), {"username": "tenant-a", "password": "pw-123456789"})
    assert response.status_code == 200 and response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(reverse("api:lease-list")).status_code == 200
    bad = api.post(reverse("api:token"), {"username": "tenant-a", "password": "wrong"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_anonymous_requests_are_refused_in_the_error_shape(api):
    response = api.get(reverse("api:lease-list"))
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("route, key", TENANT_ENDPOINTS)
def test_a_tenant_sees_its_own_objects_and_gets_404_for_another_tenants(api, world, route, key):
    api.force_authenticate(world["a"]["user"])
    mine, theirs = world["a"][key], world["b"][key]
    listing = api.get(reverse(f"api:{route}-list"))
    assert listing.status_code == 200
    assert mine.pk in ids(listing) and theirs.pk not in ids(listing)
    assert api.get(reverse(f"api:{route}-detail", args=[mine.pk])).status_code == 200
    other = api.get(reverse(f"api:{route}-detail", args=[theirs.pk]))
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_tenants_never_reach_staff_only_resources_or_actions(api, world):
    api.force_authenticate(world["a"]["user"])
    for route in ("building", "floor", "report-run"):
        assert api.get(reverse(f"api:{route}-list")).json()["results"] == []
    lease = world["a"]["lease"]
    assert api.post(reverse("api:lease-sign", args=[lease.pk]), {"signed_on": "2026-01-01"}).status_code == 403
    assert api.patch(reverse("api:lease-detail", args=[lease.pk]), {"rent_rate": "1"}).status_code == 403
    assert api.post(reverse("api:payment-list"), {}).status_code == 403
    assert api.post(reverse("api:booking-approve", args=[world["a"]["booking"].pk])).status_code == 403
    assert api.get(reverse("api:bill-pdf", args=[world["b"]["bill"].pk])).status_code == 404
    assert api.get(reverse("api:bill-pdf", args=[world["a"]["bill"].pk]))["Content-Type"] == "application/pdf"


def test_a_tenant_books_for_its_own_company_and_a_collision_is_a_409_naming_the_slot(api, world):
    api.force_authenticate(world["a"]["user"])
    hall = world["hall"]
    payload = {
        "hall": hall.pk,
        "title": "路演",
        "starts_at": "2026-12-03T14:00:00+08:00",
        "ends_at": "2026-12-03T16:00:00+08:00",
        "attendees": 50,
        "layout": "theatre",
        "company": world["b"]["company"].pk,
        "organiser": "operator",
    }
    created = api.post(reverse("api:booking-list"), payload, format="json")
    assert created.status_code == 201, created.json()
    booking = Booking.objects.get(pk=created.json()["id"])
    assert booking.company == world["a"]["company"] and booking.organiser == "tenant"
    assert booking.price == Decimal("4800.00")  # 2 h × 3,000 less 20 %
    clash = api.post(
        reverse("api:booking-list"),
        {**payload, "starts_at": "2026-12-03T15:00:00+08:00", "ends_at": "2026-12-03T17:00:00+08:00"},
        format="json",
    )
    assert clash.status_code == 409
    body = clash.json()
    assert body["code"] == "conflict"
    assert "Hall A is booked from 2026-12-03 14:00 to 2026-12-03 16:00" in body["fields"]["starts_at"][0]
    assert body["message"] == body["fields"]["starts_at"][0]
    cancelled = api.post(reverse("api:booking-cancel", args=[booking.pk]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_errors_come_in_the_requests_language(api, world):
    api.force_authenticate(world["a"]["user"])
    payload = {
        "hall": world["hall"].pk,
        "title": "x",
        "starts_at": "2026-12-03T14:00:00+08:00",
        "ends_at": "2026-12-03T13:00:00+08:00",
        "attendees": 5,
        "layout": "theatre",
    }
    english = api.post(reverse("api:booking-list"), payload, format="json")
    chinese = api.post(reverse("api:booking-list"), payload, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 400
    assert english.json()["message"] == "A booking must end after it starts."
    assert chinese.json()["message"] == "预订的结束时间必须晚于开始时间。"


def test_staff_write_through_the_same_services(api, world, operations_user):
    api.force_authenticate(operations_user)
    unit = UnitFactory(leasable_area=Decimal("80"))
    created = api.post(
        reverse("api:lease-list"),
        {
            "number": "API-1",
            "tenant": world["a"]["company"].pk,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "units": [unit.pk],
            "rent_rate": "4.50",
            "rent_basis": "per_day",
            "fee_rate": "20",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    lease = Lease.objects.get(number="API-1")
    assert lease.status == "draft" and list(lease.units.all()) == [unit]
    signed = api.post(reverse("api:lease-sign", args=[lease.pk]), {"signed_on": "2026-11-01"}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert Bill.objects.filter(lease=lease).count() == 12
    taken = api.post(
        reverse("api:lease-list"),
        {
            "number": "API-2",
            "tenant": world["b"]["company"].pk,
            "starts_on": "2027-06-01",
            "ends_on": "2027-12-31",
            "units": [unit.pk],
        },
        format="json",
    )
    other = Lease.objects.get(number="API-2")
    clash = api.post(reverse("api:lease-sign", args=[other.pk]), {"signed_on": "2026-11-01"}, format="json")
    assert taken.status_code == 201 and clash.status_code == 409 and "already let" in clash.json()["message"]
    payment = api.post(
        reverse("api:payment-list"),
        {
            "company": world["a"]["company"].pk,
            "amount": "100.00",
            "received_on": "2026-11-20",
            "method": "cash",
            "reference": "R-API-1",
        },
        format="json",
    )
    assert payment.status_code == 201
    again = api.post(
        reverse("api:payment-list"),
        {
            "company": world["a"]["company"].pk,
            "amount": "100.00",
            "received_on": "2026-11-20",
            "method": "cash",
            "reference": "R-API-1",
        },
        format="json",
    )
    assert again.status_code == 409 and "already recorded" in again.json()["fields"]["reference"][0]
    assert Payment.objects.filter(reference="R-API-1").count() == 1


def test_staff_without_the_model_permission_are_refused(api, world, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    api.force_authenticate(clerk)
    assert api.get(reverse("api:lease-list")).status_code == 403


def test_report_runs_answer_202_with_their_url_then_download(
    api, world, manager_user, django_capture_on_commit_callbacks
):
    api.force_authenticate(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api:report-run-list"), {"kind": "occupancy", "period": "2026-10", "language": "en"}, format="json"
        )
    assert response.status_code == 202
    run = ReportRun.objects.get()
    assert response["Location"].endswith(reverse("api:report-run-detail", args=[run.pk]))
    status = api.get(reverse("api:report-run-detail", args=[run.pk])).json()
    assert status["status"] == "done" and status["download_url"] == reverse("api:report-run-download", args=[run.pk])
    download = api.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    bad = api.post(reverse("api:report-run-list"), {"kind": "occupancy", "period": "2026/10"}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()["fields"]


LIST_ROUTES = [
    "building",
    "floor",
    "unit",
    "cluster",
    "company",
    "contact",
    "partner-agreement",
    "lease",
    "bill",
    "payment",
    "ledger-entry",
    "deposit-entry",
    "invoicing-profile",
    "fapiao",
    "fapiao-batch",
    "reminder-sent",
    "reminder-step",
    "collections-hold",
    "statement-layout",
    "bank-statement",
    "statement-line",
    "meter",
    "meter-reading",
    "tariff",
    "utility-run",
    "utility-charge",
    "charge-dispute",
    "hall",
    "booking",
    "event",
    "report-run",
    "apartment-room",
    "apartment-application",
    "bed-allocation",
    "service-request",
]


@pytest.mark.parametrize("rows", [1, 500])
def test_list_endpoints_keep_a_fixed_number_of_queries(
    api, django_assert_max_num_queries, hall, rows, django_user_model
):
    from tests.api.test_bulk import make_rows

    make_rows(rows, hall)
    admin = django_user_model.objects.create_superuser("root", password="pw-123456789")
    api.force_authenticate(admin)
    for route in LIST_ROUTES:
        with django_assert_max_num_queries(9):
            response = api.get(reverse(f"api:{route}-list") + "?page_size=200")
        assert response.status_code == 200, route


def test_a_tenant_applies_for_a_bed_and_files_a_request_and_sees_ids_masked(api, world):
    api.force_authenticate(world["a"]["user"])
    applied = api.post(
        reverse("api:apartment-application-list"),
        {
            "name": "新员工",
            "id_type": "mainland_id",
            "id_number": "11010519491231002X",
            "phone": "13900001111",
            "wanted_from": "2027-01-01",
            "months": 6,
        },
        format="json",
    )
    assert applied.status_code == 201 and applied.json()["id_number"] == "1101**********002X"
    bad = api.post(
        reverse("api:apartment-application-list"),
        {
            "name": "x",
            "id_type": "mainland_id",
            "id_number": "110105194912310021",
            "phone": "1",
            "wanted_from": "2027-01-01",
            "months": 6,
        },
        format="json",
    )
    assert bad.status_code == 400 and "should be X" in bad.json()["fields"]["id_number"][0]
    filed = api.post(
        reverse("api:service-request-list"),
        {"unit": world["a"]["unit"].pk, "category": "it", "description": "网络中断"},
        format="json",
    )
    assert filed.status_code == 201 and filed.json()["company"] == world["a"]["company"].pk
    foreign = api.post(
        reverse("api:service-request-list"),
        {"unit": world["b"]["unit"].pk, "category": "it", "description": "x"},
        format="json",
    )
    assert foreign.status_code == 400 and foreign.json()["fields"]["unit"]


def test_tenants_withdraw_their_applications_and_cancel_their_requests(api, world):
    api.force_authenticate(world["a"]["user"])
    applied = api.post(
        reverse("api:apartment-application-list"),
        {
            "name": "新员工",
            "id_type": "passport",
            "id_number": "E12345678",
            "phone": "13900001111",
            "wanted_from": "2027-01-01",
            "months": 6,
        },
        format="json",
    ).json()
    withdrawn = api.post(reverse("api:apartment-application-withdraw", args=[applied["id"]]))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = api.post(reverse("api:apartment-application-withdraw", args=[applied["id"]]))
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    cancelled = api.post(reverse("api:service-request-cancel", args=[world["a"]["service_request"].pk]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "closed"
    foreign = api.post(reverse("api:service-request-cancel", args=[world["b"]["service_request"].pk]))
    assert foreign.status_code == 404


@pytest.mark.parametrize("route", ["unit", "lease"])
def test_lists_read_from_values_give_every_row_exactly_as_its_detail(api, hall, django_user_model, world, route):
    """The unit and lease lists skip model instances and serializers (core.api.lists); each listed row
    must still equal the serializer's own representation, for staff and for a tenant."""
    from tests.api.test_bulk import make_rows

    make_rows(30, hall)
    Lease.objects.filter(number="BULK-3").update(area_override=Decimal("12.50"), area_override_reason="测量")
    admin = django_user_model.objects.create_superuser("root", password="pw-123456789")
    narrowed = {"unit": "use=office", "lease": "status=active"}[route]
    for user in (admin, world["a"]["user"]):
        api.force_authenticate(user)
        for query in ("page_size=200", f"page_size=200&{narrowed}"):
            listed = api.get(reverse(f"api:{route}-list") + "?" + query).json()["results"]
            assert listed
            for row in listed:
                assert row == api.get(reverse(f"api:{route}-detail", args=[row["id"]])).json()


@pytest.mark.parametrize("query", ["", "&status=active"])
def test_pages_of_a_values_list_count_and_link_like_any_other(api, hall, django_user_model, query):
    """Filtered lists count in the page's query (a window), whole ones with count(): both page alike."""
    from tests.api.test_bulk import make_rows

    make_rows(30, hall)
    api.force_authenticate(django_user_model.objects.create_superuser("root", password="pw-123456789"))
    url = reverse("api:lease-list") + "?page_size=7" + query
    pages = [api.get(f"{url}&page={number}").json() for number in range(1, 6)]
    assert [page["count"] for page in pages] == [30] * 5
    assert [len(page["results"]) for page in pages] == [7, 7, 7, 7, 2]
    assert pages[0]["previous"] is None and pages[4]["next"] is None and "page=3" in pages[1]["next"]
    assert len({row["id"] for page in pages for row in page["results"]}) == 30
    assert api.get(f"{url}&page=6").status_code == 404
    assert api.get(f"{url}&page=last").json()["results"] == pages[4]["results"]


def test_a_token_is_looked_up_once_and_forgotten_when_deleted_or_its_user_deactivated(
    django_user_model, django_assert_num_queries
):
    from django.core.cache import cache
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    cache.clear()
    BuildingFactory()
    user = django_user_model.objects.create_superuser("root", password="pw-123456789")
    token = Token.objects.create(user=user)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api:building-list")
    assert api.get(url).status_code == 200
    with django_assert_num_queries(2):  # the count and the page: the token comes from the cache
        assert api.get(url).status_code == 200

    user.is_active = False
    user.save()
    refused = api.get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "authentication_failed"
    user.is_active = True
    user.save()
    assert api.get(url).status_code == 200
    token.delete()
    assert api.get(url).json()["code"] == "authentication_failed"


def test_staff_correct_bills_and_payments_and_post_deposits_through_the_api(api, world, operations_user):
    from billing.models import DepositEntry, LedgerEntry

    api.force_authenticate(operations_user)
    a = world["a"]
    # Company a: January and February billed, 10,000 each; 100 paid on 01-03 applied to January.
    january = a["lease"].bills.get(period_start="2026-01-01")
    rent = january.lines.get(kind="rent")
    credited = api.post(
        reverse("api:bill-credit", args=[january.pk]),
        {"reason": "停电补偿", "lines": [{"line": rent.pk, "amount": "1000.00"}]},
        format="json",
    )
    assert credited.status_code == 200 and credited.json()["amount_due"] == "9000.00"
    foreign = world["b"]["lease"].bills.first().lines.first()
    wrong = api.post(
        reverse("api:bill-credit", args=[january.pk]),
        {"reason": "x", "lines": [{"line": foreign.pk, "amount": "1.00"}]},
        format="json",
    )
    assert wrong.status_code == 400 and "not on the bill" in wrong.json()["fields"]["lines"][0]
    debited = api.post(reverse("api:bill-debit", args=[january.pk]), {"reason": "加班空调", "amount": "250.00"})
    assert debited.json()["amount_due"] == "9250.00"
    ledger = api.get(reverse("api:bill-ledger", args=[january.pk])).json()
    assert [(row["kind"], row["debit"], row["credit"]) for row in ledger] == [
        ("bill", "10000.00", "0.00"),
        ("credit_note", "0.00", "1000.00"),
        ("debit_note", "250.00", "0.00"),
    ]
    reversed_ = api.post(reverse("api:payment-reverse", args=[a["payment"].pk]), {"reason": "退票"})
    assert reversed_.status_code == 200
    january.refresh_from_db()
    assert january.amount_paid == Decimal("0.00")
    refund = api.post(
        reverse("api:payment-refund", args=[a["payment"].pk]),
        {"reason": "多付", "amount": "1.00", "reference": "TK-1"},
    )
    assert refund.status_code == 400 and "credit is only 0.00" in refund.json()["fields"]["amount"][0]
    deposit = api.post(
        reverse("api:deposit-entry-list"),
        {"lease": a["lease"].pk, "movement": "refunded", "amount": "100.00", "on": "2026-11-24", "reference": "B-1"},
    )
    assert deposit.status_code == 400 and "past due" in deposit.json()["fields"]["amount"][0]
    applied = api.post(
        reverse("api:deposit-entry-list"),
        {"lease": a["lease"].pk, "movement": "applied", "amount": "100.00", "on": "2026-11-24", "reason": "抵扣"},
    )
    assert applied.status_code == 201 and applied.json()["kind"] == "applied"
    assert DepositEntry.objects.filter(lease=a["lease"]).count() == 2
    # A tenant reads its own ledger and deposits, never another company's.
    api.force_authenticate(a["user"])
    rows = api.get(reverse("api:ledger-entry-list") + "?page_size=200").json()["results"]
    assert {row["company"] for row in rows} == {a["company"].pk}
    assert LedgerEntry.objects.filter(company=a["company"]).count() == len(rows)
    assert api.post(reverse("api:bill-debit", args=[january.pk]), {"reason": "x", "amount": "1"}).status_code == 403


def test_staff_amend_and_settle_a_lease_through_the_api(api, world, operations_user):
    api.force_authenticate(operations_user)
    lease = world["a"]["lease"]
    amended = api.post(
        reverse("api:lease-amend", args=[lease.pk]),
        {"effective_on": "2026-12-01", "rent_rate": "110", "reason": "调价"},
        format="json",
    )
    assert amended.status_code == 200
    assert lease.bills.get(period_start="2026-12-01").amount == Decimal("11000.00")
    unreasoned = api.patch(reverse("api:lease-detail", args=[lease.pk]), {"fee_rate": "5"}, format="json")
    assert unreasoned.status_code == 400 and "Say why" in unreasoned.json()["fields"]["reason"][0]
    early = api.get(reverse("api:lease-settlement", args=[lease.pk]))
    assert early.status_code == 400 and "has ended" in early.json()["message"]


def test_a_payers_position_as_of_a_past_day_reads_the_same_after_later_postings(api, world, operations_user):
    a = world["a"]
    url = reverse("api:ledger-entry-position")
    api.force_authenticate(a["user"])
    # By 2026-03-31: January and February (10,000 each, due 01-05 and 02-05) less 100 paid on 01-03.
    before = api.get(url, {"company": a["company"].pk, "as_of": "2026-03-31"}).json()
    assert before["balance"] == "19900.00"
    assert (before["overdue_31_60"], before["overdue_61_90"]) == ("10000.00", "9900.00")
    assert api.get(url, {"company": world["b"]["company"].pk}).status_code == 404
    api.force_authenticate(operations_user)
    api.post(
        reverse("api:payment-list"),
        {
            "company": a["company"].pk,
            "amount": "5000.00",
            "received_on": "2026-11-20",
            "method": "cash",
            "reference": "LATER",
        },
        format="json",
    )
    assert api.get(url, {"company": a["company"].pk, "as_of": "2026-03-31"}).json() == before
    assert api.get(url, {"company": a["company"].pk, "as_of": "2026-11-20"}).json()["balance"] == "14900.00"
    assert api.get(url, {"company": a["company"].pk, "as_of": "03/31"}).status_code == 400
