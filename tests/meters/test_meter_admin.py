"""Meters in the admin: a reading round all or nothing, imports, and a run taken to posted."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meters.models import MeterReading, Tariff, UtilityRun
from meters.services import reading_record
from tests.servicedesk.test_service_requests import image_bytes

from .test_meters import NOV, OCT, meter, readings_csv, tariff

pytestmark = pytest.mark.django_db


def test_a_reading_round_shows_last_values_and_saves_all_or_nothing(staff_client, tower, today):
    first, second = meter(tower, "E-A"), meter(tower, "E-B", unit=1)
    reading_record(meter=first, read_on=OCT, value=Decimal("100"))
    reading_record(meter=second, read_on=OCT, value=Decimal("200"))
    url = reverse("admin:meters_meter_round") + f"?building={tower['building'].pk}&kind=electricity&read_on={NOV}"
    page = staff_client.get(url).content.decode()
    assert "E-A" in page and "100.000 (2026-10-25)" in page
    bad = staff_client.post(url, {f"value-{first.pk}-total": "150", f"value-{second.pk}-total": "150"})
    assert "below the last reading, 200" in bad.content.decode()
    assert MeterReading.objects.filter(read_on=NOV).count() == 0
    not_a_photo = SimpleUploadedFile("meter.jpg", b"not an image", content_type="image/jpeg")
    bad = staff_client.post(
        url,
        {f"value-{first.pk}-total": "150", f"value-{second.pk}-total": "260", f"photo-{first.pk}-total": not_a_photo},
    )
    assert "must be JPEG, PNG or WebP" in bad.content.decode()
    assert MeterReading.objects.filter(read_on=NOV).count() == 0
    photo = SimpleUploadedFile("meter.png", image_bytes(), content_type="image/png")
    staff_client.post(
        url, {f"value-{first.pk}-total": "150", f"value-{second.pk}-total": "260", f"photo-{first.pk}-total": photo}
    )
    saved = {reading.meter_id: reading for reading in MeterReading.objects.filter(read_on=NOV)}
    assert (saved[first.pk].consumption, saved[second.pk].consumption) == (50, 60)
    assert saved[first.pk].photo.name.endswith(".png") and not saved[second.pk].photo
    assert saved[first.pk].photo.read().startswith(b"\x89PNG")


def test_staff_import_readings_and_take_a_run_to_posted(staff_client, tower, today):
    tariff()
    meter(tower, "E-A")
    done = staff_client.post(
        reverse("admin:meters_meter_import"),
        {"file": SimpleUploadedFile("r.csv", readings_csv("E-A,2026-10-25,,0,", "E-A,2026-11-20,,100,"))},
    )
    assert done.status_code == 302 and MeterReading.objects.count() == 2
    run = UtilityRun.objects.create(
        building=tower["building"], period_start=datetime.date(2026, 10, 26), period_end=NOV
    )
    changelist = reverse("admin:meters_utilityrun_changelist")
    for action in ("calculate", "review", "post"):
        staff_client.post(changelist, {"action": action, "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == "posted" and run.charges.get().bill.amount == Decimal("85.00")


def test_staff_check_a_flagged_reading_and_answer_a_dispute_in_the_admin(staff_client, tower, today, django_user_model):
    from meters.models import ChargeDispute
    from meters.services import dispute_raise, run_calculate, run_post, run_review

    tariff()
    device = meter(tower, "E-A")
    for day, value in ((datetime.date(2026, 7, 25), "0"), (datetime.date(2026, 8, 25), "100")):
        reading_record(meter=device, read_on=day, value=Decimal(value))
    reading_record(meter=device, read_on=datetime.date(2026, 9, 25), value=Decimal("200"))
    reading_record(meter=device, read_on=OCT, value=Decimal("300"))
    spike = reading_record(meter=device, read_on=NOV, value=Decimal("1300"))
    review = reverse("admin:meters_meterreading_review", args=[spike.pk])
    assert "required" in staff_client.post(review, {"note": ""}).content.decode()
    staff_client.post(review, {"note": "现场核实"})
    assert MeterReading.objects.get(pk=spike.pk).flag == "resolved"

    run = UtilityRun.objects.create(
        building=tower["building"], period_start=datetime.date(2026, 10, 26), period_end=NOV
    )
    run_review(run=run_calculate(run=run))
    run_post(run=run)
    tenant = django_user_model.objects.create_user("tenant-a", password="pw-123456789")
    dispute = dispute_raise(charge=run.charges.get(), message="偏高", raised_by=tenant)
    answer = reverse("admin:meters_chargedispute_answer", args=[dispute.pk])
    too_much = staff_client.post(answer, {"answer": "更正", "corrected_amount": "900.00"})
    assert "lowers the charge" in too_much.content.decode()
    staff_client.post(answer, {"answer": "按实际用量更正", "corrected_amount": "800.00"})
    dispute = ChargeDispute.objects.get(pk=dispute.pk)
    assert (dispute.status, run.charges.get().bill.amount_due) == ("corrected", Decimal("800.00"))


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_a_time_of_use_tariffs_band_hours_must_cover_the_day(staff_client, today):
    prices = [{"band": band, "price": price} for band, price in (("peak", "1.2"), ("flat", "0.7"), ("valley", "0.3"))]
    hours = [
        {"band": "valley", "starts_at": "00:00", "ends_at": "08:00"},
        {"band": "flat", "starts_at": "08:00", "ends_at": "10:00"},
        {"band": "peak", "starts_at": "10:00", "ends_at": "19:00"},
        {"band": "flat", "starts_at": "19:00", "ends_at": "00:00"},
    ]
    tariff_form = {
        "kind": "electricity",
        "effective_from": "2026-01-01",
        "method": "time_of_use",
        "loss_factor": "0",
        "surcharge": "0",
        **formset("prices", prices),
    }
    url = reverse("admin:meters_tariff_add")
    gap = staff_client.post(url, {**tariff_form, **formset("hours", hours[:2] + hours[3:])})
    assert "gap or overlap at 10:00" in gap.content.decode() and not Tariff.objects.exists()
    saved = staff_client.post(url, {**tariff_form, **formset("hours", hours)})
    assert saved.status_code == 302
    assert [str(span) for span in Tariff.objects.get().hours.all()] == [
        "valley (谷) 00:00–08:00",
        "flat (平) 08:00–10:00",
        "peak (峰) 10:00–19:00",
        "flat (平) 19:00–00:00",
    ]
