import datetime
import struct
import zlib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Booking
from servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def tenant_client(client, world):
    client.force_login(world["a"]["user"])
    return client


def portal_urls_for(data):
    """Every portal URL that names an object, with that object's id."""
    return [
        reverse("portal:apartment_check_out", args=[data["allocation"].pk]),
        reverse("portal:bill", args=[data["bill"].pk]),
        reverse("portal:bill_pdf", args=[data["bill"].pk]),
        reverse("portal:booking_cancel", args=[data["booking"].pk]),
        reverse("portal:service_request", args=[data["service_request"].pk]),
    ]


def test_sign_in_by_username_or_email_and_out(client, world):
    world["a"]["user"].email = "admin@kugou.example"
    world["a"]["user"].save()
    response = client.post(reverse("portal:login"), {"username": "admin@kugou.example", "password": "pw-123456789"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert world["a"]["company"].name in client.get(reverse("portal:dashboard")).content.decode()
    client.post(reverse("portal:logout"))
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(client, world, settings):
    settings.PARKOPS_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("portal:login"), {"username": "tenant-a", "password": "wrong"})
    locked = client.post(reverse("portal:login"), {"username": "tenant-a", "password": "pw-123456789"})
    assert locked.status_code == 200 and "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client, world):
    user = world["a"]["user"]
    user.email = "a@tenant.example"
    user.save()
    client.post(reverse("portal:password_reset"), {"email": "a@tenant.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/portal/password-reset/" in line)
    path = link.split("testserver")[1]
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Lingnan-2026-new", "new_password2": "Lingnan-2026-new"}
    )
    user.refresh_from_db()
    assert user.check_password("Lingnan-2026-new")


def test_staff_and_strangers_never_reach_the_portal(client, world, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("portal:dashboard")).status_code == 403
    loner = django_user_model.objects.create_user("loner")
    client.force_login(loner)
    assert client.get(reverse("portal:bills")).status_code == 403


def test_a_tenant_books_a_hall_after_seeing_the_price(tenant_client, world):
    hall = world["hall"]
    url = reverse("portal:hall", args=[hall.pk])
    form = {
        "day": "2026-12-10",
        "starts": "14:00",
        "ends": "16:00",
        "title": "新品发布",
        "attendees": "80",
        "layout": "theatre",
    }
    preview = tenant_client.post(url, {**form, "preview": "1"})
    assert "Price: ¥ 4,800.00" in preview.content.decode() and not Booking.objects.filter(title="新品发布").exists()
    tenant_client.post(url, {**form, "confirm": "1"})
    booking = Booking.objects.get(title="新品发布")
    assert booking.company == world["a"]["company"] and booking.price == Decimal("4800.00")
    clash = tenant_client.post(url, {**form, "title": "撞车", "confirm": "1"})
    assert "is booked from 2026-12-10 14:00" in clash.content.decode()
    assert not Booking.objects.filter(title="撞车").exists()
    # The preview refuses a taken slot too (buffers included): it never offers what confirming refuses.
    taken = tenant_client.post(url, {**form, "starts": "16:15", "ends": "17:00", "preview": "1"}).content.decode()
    assert "is booked from 2026-12-10 14:00" in taken and "Price:" not in taken


def test_a_tenant_files_a_service_request_with_a_photo_and_rates_it(tenant_client, world):
    unit = world["a"]["unit"]
    response = tenant_client.post(
        reverse("portal:service_request_new"),
        {
            "unit": unit.pk,
            "category": "repair",
            "priority": "high",
            "description": "空调漏水",
            "photos": [SimpleUploadedFile("leak.png", png_bytes(), content_type="image/png")],
        },
    )
    filed = ServiceRequest.objects.filter(description="空调漏水").get()
    assert response.status_code == 302 and filed.company == world["a"]["company"] and filed.photos.count() == 1
    fake = tenant_client.post(
        reverse("portal:service_request_new"),
        {
            "unit": unit.pk,
            "category": "repair",
            "priority": "high",
            "description": "x",
            "photos": [SimpleUploadedFile("virus.png", b"MZ\x90\x00evil", content_type="image/png")],
        },
    )
    before = ServiceRequest.objects.count()
    assert "Photos must be JPEG, PNG or WebP images." in fake.content.decode()
    other_unit = tenant_client.post(
        reverse("portal:service_request_new"),
        {"unit": world["b"]["unit"].pk, "category": "repair", "priority": "low", "description": "x"},
    )
    assert other_unit.status_code == 200 and ServiceRequest.objects.count() == before
    ServiceRequest.objects.filter(pk=filed.pk).update(status="resolved")
    tenant_client.post(reverse("portal:service_request", args=[filed.pk]), {"rating": "5"})
    assert ServiceRequest.objects.get(pk=filed.pk).rating == 5


def test_every_portal_url_with_another_companys_object_is_a_404(client, world):
    client.force_login(world["a"]["user"])
    for url in portal_urls_for(world["a"]):
        assert client.get(url).status_code in (200, 405), url  # the POST-only ones refuse GET
    for url in portal_urls_for(world["b"]):
        method = client.post if "cancel" in url or "check-out" in url else client.get
        assert method(url).status_code == 404, url
    assert Booking.objects.get(pk=world["b"]["booking"].pk).status == "requested"


def test_the_portal_speaks_chinese_first_and_english_on_request(client, world):
    client.force_login(world["a"]["user"])
    chinese = client.get(reverse("portal:bills"), HTTP_ACCEPT_LANGUAGE="").content.decode()
    english = client.get(reverse("portal:bills"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "账单" in chinese and "Bills" in english


@pytest.mark.parametrize("count", [1, 25])
def test_portal_lists_use_a_fixed_number_of_queries(client, world, count, django_assert_max_num_queries):
    from servicedesk.services import service_request_file

    for _ in range(count):
        service_request_file(
            company=world["a"]["company"], unit=world["a"]["unit"], category="it", priority="low", description="网络"
        )
    client.force_login(world["a"]["user"])
    for name in ("portal:dashboard", "portal:bills", "portal:halls", "portal:service_requests"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_the_account_page_shows_the_companys_ledger_and_deposit_in_fixed_queries(
    client, world, count, django_assert_max_num_queries
):
    from billing.services import payment_record

    company = world["a"]["company"]
    # January and February billed on 2026-02-01 (10,000 each); 100 paid on 01-03; then ``count`` payments of 1.00.
    for n in range(count):
        payment_record(
            company=company,
            amount=Decimal("1.00"),
            received_on=datetime.date(2026, 2, 10),
            method="cash",
            reference=f"C-{n}",
        )
    client.force_login(world["a"]["user"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:account"), {"from": "2026-01-01", "to": "2026-02-28"})
    html = response.content.decode()
    # Opening 0; −100 (01-03); +10,000 twice (02-01); −1 for each later payment: closing 19,900 − count.
    assert f'<th class="num">{Decimal("19900.00") - count:,.2f}</th>' in html
    assert "payment REF-" in html and html.count("payment C-") == count
    assert "held ¥ 100.00" in html and "SJ2026-" in html  # the deposit and its receipt number
    assert world["b"]["company"].short_name not in html
