"""Uploaded and generated files are served only through /files/<name>, to who may read each: the
tenant that owns it, staff holding the permission its app named; never to anonymous users or to
another company, and never from /media/ directly."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from billing.models import Fapiao
from meters.models import Meter
from meters.services import reading_record
from servicedesk.services import service_request_file
from tests.servicedesk.test_service_requests import image_bytes

pytestmark = pytest.mark.django_db


def fetch(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_tenant_files_reach_their_company_and_staff_with_the_permission_only(world, client, django_user_model):
    a, b = world["a"], world["b"]
    photo = SimpleUploadedFile("leak.png", image_bytes(), content_type="image/png")
    request = service_request_file(
        company=a["company"], unit=a["unit"], category="repair", priority="normal", description="漏水", photos=[photo]
    )
    meter = Meter.objects.create(
        kind="electricity",
        serial="E-1",
        building=a["unit"].building,
        unit=a["unit"],
        installed_on=datetime.date(2026, 1, 1),
    )
    reading = reading_record(
        meter=meter,
        read_on=datetime.date(2026, 11, 20),
        value=Decimal("10"),
        photo=SimpleUploadedFile("m.jpg", image_bytes("JPEG"), content_type="image/jpeg"),
    )
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    for stored, permission in (
        (request.photos.get().image, "view_servicerequest"),
        (reading.photo, "view_meterreading"),
    ):
        url = stored.url
        assert url.startswith("/files/") and url.endswith((".png", ".jpg")) and len(url) > 40  # a random name
        assert fetch(client, None, url).status_code == 404
        assert fetch(client, b["user"], url).status_code == 404  # another company
        assert fetch(client, clerk, url).status_code == 404  # staff without the permission
        served = fetch(client, a["user"], url)
        assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
        assert b"".join(served.streaming_content) == default_storage.open(stored.name).read()
        clerk.user_permissions.add(Permission.objects.get(codename=permission))
        clerk = django_user_model.objects.get(pk=clerk.pk)  # permissions are cached on the user object
        assert fetch(client, clerk, url).status_code == 200
        # nothing is served from /media/, whatever the name
        assert fetch(client, a["user"], f"/media/{stored.name}").status_code == 404


def test_a_fapiao_file_reaches_its_company_only(world, client, django_user_model):
    a, b = world["a"], world["b"]
    fapiao = Fapiao.objects.create(
        company=a["company"],
        bill=a["bill"],
        fapiao_type="ordinary",
        buyer_title=a["company"].name,
        buyer_taxpayer_number=a["company"].credit_code,
        buyer_email="finance@jia.example",
        amount=Decimal("10000.00"),
        net_amount=Decimal("9174.31"),
        tax_amount=Decimal("825.69"),
    )
    fapiao.document.save("fapiao.pdf", ContentFile(b"%PDF-1.7 fapiao"), save=True)
    url = fapiao.document.url
    assert fetch(client, None, url).status_code == 404
    assert fetch(client, b["user"], url).status_code == 404
    assert fetch(client, a["user"], url).status_code == 200
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_fapiao"))
    assert fetch(client, clerk, url).status_code == 200


@pytest.mark.parametrize(
    ("name", "permission"),
    [
        ("reports/7/occupancy-2026-10.pdf", "download_report"),
        ("bank-statements/2026/cmb.csv", "view_bankstatement"),
        ("agreements/3/0f2e.pdf", "view_agreementdocument"),
        ("fapiao/batches/batch-1.xlsx", "view_fapiaobatch"),
    ],
)
def test_staff_only_files_are_refused_to_tenants_and_anonymous_users(
    world, client, django_user_model, name, permission
):
    stored = default_storage.save(name, ContentFile(b"%PDF-1.7 private"))
    url = reverse("private_file", args=[stored])
    assert fetch(client, None, url).status_code == 404
    assert fetch(client, world["a"]["user"], url).status_code == 404
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    assert fetch(client, clerk, url).status_code == 404
    clerk.user_permissions.add(Permission.objects.get(codename=permission))
    assert fetch(client, django_user_model.objects.get(pk=clerk.pk), url).status_code == 200
    default_storage.delete(stored)


def test_unknown_places_and_climbing_out_are_refused(client, django_user_model):
    root = django_user_model.objects.create_user("root", password="x", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/files/../parkops.sqlite3").status_code == 404
    assert client.get("/files/reports/../../parkops.sqlite3").status_code == 404
    assert client.get("/files/elsewhere/file.txt").status_code == 404


def test_behind_nginx_the_view_hands_the_file_to_an_internal_location(world, client, settings):
    settings.PARKOPS_MEDIA_ACCEL_PREFIX = "/protected-media/"
    photo = SimpleUploadedFile("leak.png", image_bytes(), content_type="image/png")
    request = service_request_file(
        company=world["a"]["company"],
        unit=world["a"]["unit"],
        category="repair",
        priority="normal",
        description="漏水",
        photos=[photo],
    )
    name = request.photos.get().image.name
    served = fetch(client, world["a"]["user"], f"/files/{name}")
    assert served.status_code == 200 and served["X-Accel-Redirect"] == f"/protected-media/{name}"
    assert served["Content-Type"] == "image/png" and served.content == b""


def test_a_visitors_pass_is_drawn_for_its_company_only(world, client):
    from tenants.models import Visitor

    visitor = Visitor.objects.create(
        company=world["a"]["company"],
        name="陈访客",
        phone="13800000000",
        email="chen@example.com",
        host="李经理",
        expected_from=timezone.now() + datetime.timedelta(hours=1),
        expected_until=timezone.now() + datetime.timedelta(hours=3),
    )
    url = reverse("portal:visitor_pass", args=[visitor.pk])
    own = fetch(client, world["a"]["user"], url)
    assert own.status_code == 200 and own["Content-Type"] == "image/png" and own.content.startswith(b"\x89PNG")
    assert fetch(client, world["b"]["user"], url).status_code == 404
    assert fetch(client, None, url).status_code == 302  # to the portal's sign-in
