"""Meters through the API: a metering system posts readings, staff run a period, tenants read and dispute."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meters.models import MeterReading
from tenants.models import TenantMembership
from tests.servicedesk.test_service_requests import image_bytes

from .test_meters import NOV, OCT, meter, tariff

pytestmark = pytest.mark.django_db


def test_readings_posted_by_a_metering_system_then_a_run_and_a_dispute(
    api, tower, today, operations_user, django_user_model
):
    tariff()
    meter(tower, "E-A")
    api.force_authenticate(operations_user)
    url = reverse("api:meter-reading-list")
    assert api.post(url, {"serial": "E-A", "read_on": OCT, "value": "0"}, format="json").status_code == 201
    # a metering system may send the photo it took, as multipart
    photo = SimpleUploadedFile("reading.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    with_photo = api.post(url, {"serial": "E-A", "read_on": NOV, "value": "100", "photo": photo})
    assert with_photo.status_code == 201 and with_photo.json()["photo"].endswith(".jpg")
    lower = api.post(url, {"serial": "E-A", "read_on": "2026-11-21", "value": "90"}, format="json")
    assert lower.status_code == 400 and "below the last reading" in str(lower.json())
    unknown = api.post(url, {"serial": "E-X", "read_on": "2026-11-21", "value": "1"}, format="json")
    assert unknown.status_code == 400 and MeterReading.objects.count() == 2
    not_a_photo = SimpleUploadedFile("reading.jpg", b"GIF89a", content_type="image/jpeg")
    refused = api.post(url, {"serial": "E-A", "read_on": "2026-11-21", "value": "101", "photo": not_a_photo})
    assert refused.status_code == 400 and "photo" in refused.json()["fields"]

    run = api.post(
        reverse("api:utility-run-list"),
        {"building": tower["building"].pk, "period_start": "2026-10-26", "period_end": "2026-11-20"},
        format="json",
    ).json()
    for step in ("calculate", "review", "post"):
        done = api.post(reverse(f"api:utility-run-{step}", args=[run["id"]]), format="json")
        assert done.status_code == 200, done.json()
    assert done.json()["status"] == "posted"

    a, b = tower["companies"]
    user = django_user_model.objects.create_user("tenant-a", password="pw-123456789")
    TenantMembership.objects.create(user=user, company=a, role="member")
    api.force_authenticate(user)
    [charge] = api.get(reverse("api:utility-charge-list")).json()["results"]
    assert (charge["amount"], charge["explanation"]["billed_units"]) == ("85.00", "100.000")
    assert [m["serial"] for m in api.get(reverse("api:meter-list")).json()["results"]] == ["E-A"]
    assert api.post(url, {"serial": "E-A", "read_on": "2026-11-22", "value": "120"}, format="json").status_code == 403
    assert api.get(reverse("api:utility-run-list")).json()["results"] == []
    disputed = api.post(reverse("api:charge-dispute-list"), {"charge": charge["id"], "message": "偏高"}, format="json")
    assert disputed.status_code == 201

    api.force_authenticate(operations_user)
    answered = api.post(
        reverse("api:charge-dispute-answer", args=[disputed.json()["id"]]),
        {"answer": "读数核实无误", "corrected_amount": None},
        format="json",
    )
    assert answered.json()["status"] == "explained"
    other = django_user_model.objects.create_user("tenant-b", password="pw-123456789")
    TenantMembership.objects.create(user=other, company=b, role="member")
    api.force_authenticate(other)
    assert api.get(reverse("api:utility-charge-list")).json()["results"] == []
    assert api.get(reverse("api:charge-dispute-list")).json()["results"] == []
    assert datetime.date.fromisoformat(charge["explanation"]["readings"][0]["read_on"]) == NOV
    assert Decimal(charge["consumption"]) == Decimal("100")
