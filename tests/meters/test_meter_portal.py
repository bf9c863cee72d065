"""Tenants follow their meters and charges in the portal and dispute a charge; staff answer it."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import Bill, LedgerEntry
from meters.models import ChargeDispute, UtilityRun
from meters.services import dispute_answer, reading_record, run_calculate, run_post, run_review
from tenants.models import TenantMembership
from tests.servicedesk.test_service_requests import image_bytes

from .test_meters import NOV, OCT, meter, tariff

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(tower, today):
    """A's meter read 0 → 100 kWh and billed at 0.85: 85.00, posted today."""
    tariff()
    device = meter(tower, "E-A")
    reading_record(meter=device, read_on=OCT, value=Decimal("0"))
    reading_record(meter=device, read_on=NOV, value=Decimal("100"))
    run = UtilityRun.objects.create(
        building=tower["building"], period_start=datetime.date(2026, 10, 26), period_end=NOV
    )
    run_review(run=run_calculate(run=run))
    run_post(run=run)
    return run.charges.get()


def tenant_login(client, django_user_model, company, name):
    user = django_user_model.objects.create_user(name, password="pw-123456789")
    TenantMembership.objects.create(user=user, company=company, role="admin")
    client.force_login(user)
    return user


def test_the_tenant_sees_its_meters_and_each_charge_explained(client, django_user_model, tower, posted):
    a, b = tower["companies"]
    tenant_login(client, django_user_model, a, "tenant-a")
    meters = client.get(reverse("portal:meters")).content.decode()
    assert "E-A" in meters and "<svg" in meters and "100.000" in meters
    charges = client.get(reverse("portal:utility_charges")).content.decode()
    assert "85.00" in charges and "0.8500" in charges and "2026-11-20" in charges
    tenant_login(client, django_user_model, b, "tenant-b")
    assert "E-A" not in client.get(reverse("portal:meters")).content.decode()
    assert "85.00" not in client.get(reverse("portal:utility_charges")).content.decode()
    assert client.post(reverse("portal:charge_dispute", args=[posted.pk]), {"message": "x"}).status_code == 404


def test_a_dispute_is_answered_with_a_credit_note_before_the_bill_is_due(
    client, django_user_model, tower, posted, operations_user, today, settings
):
    a = tower["companies"][0]
    user = tenant_login(client, django_user_model, a, "tenant-a")
    client.post(reverse("portal:charge_dispute", args=[posted.pk]), {"message": "读数有误，表显示 90"})
    dispute = ChargeDispute.objects.get()
    assert (dispute.raised_by, dispute.status) == (user, "open")
    again = client.post(reverse("portal:charge_dispute", args=[posted.pk]), {"message": "再问"}, follow=True)
    assert "already disputed" in again.content.decode() and ChargeDispute.objects.count() == 1

    dispute_answer(
        dispute=dispute, answer="复核属实，按 90 kWh 计", answered_by=operations_user, corrected_amount=Decimal("76.50")
    )
    bill = Bill.objects.get(pk=posted.bill_id)
    # 100 → 90 kWh at 0.85: 85.00 → 76.50, a credit note of 8.50 on the line
    assert bill.amount_due == Decimal("76.50")
    assert LedgerEntry.objects.get(bill=bill, kind="credit_note").credit == Decimal("8.50")
    assert "复核属实" in client.get(reverse("portal:utility_charges")).content.decode()

    settings.PARKOPS_DISPUTE_DAYS = -1  # posted "today": the window closed yesterday
    late = client.post(reverse("portal:charge_dispute", args=[posted.pk]), {"message": "again"}, follow=True)
    assert "Charges are disputed within" in late.content.decode() and ChargeDispute.objects.count() == 1


def test_a_disputes_photo_reaches_its_company_and_the_staff_only(
    client, django_user_model, tower, posted, operations_user
):
    a, b = tower["companies"]
    tenant_login(client, django_user_model, a, "tenant-a")
    photo = SimpleUploadedFile("meter.png", image_bytes(), content_type="image/png")
    client.post(reverse("portal:charge_dispute", args=[posted.pk]), {"message": "表显示 90", "photo": photo})
    url = ChargeDispute.objects.get().photo.url
    assert url.startswith("/files/meters/disputes/") and client.get(url).status_code == 200
    tenant_login(client, django_user_model, b, "tenant-b")
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(operations_user)  # the operations group may view disputes
    assert client.get(url).status_code == 200
