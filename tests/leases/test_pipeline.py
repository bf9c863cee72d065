import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from leases.models import Lease, Prospect, ProspectActivity
from leases.selectors import pipeline_by_stage, stale_deals
from leases.services import lease_sign, prospect_convert_to_lease, prospect_save
from tests.factories import TenantCompanyFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def deal(stage=Prospect.Stage.LEAD, area="300", **fields):
    return prospect_save(
        prospect=Prospect(
            company=TenantCompanyFactory(status="prospect"), stage=stage, area_wanted=Decimal(area), **fields
        )
    )


def test_pipeline_adds_up_area_per_stage_in_order():
    deal(area="300"), deal(area="200"), deal(Prospect.Stage.PROPOSAL, area="450.50")
    rows = {row.stage: (row.deals, row.area) for row in pipeline_by_stage()}
    assert list(rows) == ["lead", "site_visit", "proposal", "negotiating", "signed", "lost"]
    assert rows["lead"] == (2, Decimal("500.00")) and rows["proposal"] == (1, Decimal("450.50"))
    assert rows["signed"] == (0, Decimal("0"))


def test_stale_deals_are_quiet_ones_and_late_ones_but_never_closed_ones():
    today = D(2026, 11, 24)
    quiet = deal(created_at=at(D(2026, 9, 1)))
    ProspectActivity.objects.create(prospect=quiet, note="电话", happened_at=at(D(2026, 10, 1)))
    busy = deal(created_at=at(D(2026, 9, 1)))
    ProspectActivity.objects.create(prospect=busy, note="看房", happened_at=at(D(2026, 11, 20)))
    late = deal(created_at=at(D(2026, 11, 20)), next_action="发报价", next_action_on=D(2026, 11, 23))
    deal(Prospect.Stage.LOST, lost_reason="预算不足", created_at=at(D(2026, 1, 1)))
    assert {p.pk for p in stale_deals(on=today, days=30)} == {quiet.pk, late.pk}


def test_a_lost_deal_needs_its_reason():
    with pytest.raises(ValidationError) as error:
        deal(Prospect.Stage.LOST)
    assert "Say why the deal was lost." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        Prospect.objects.create(company=TenantCompanyFactory(), stage="lost")


def test_a_deal_converts_into_a_draft_lease_and_is_signed_with_it():
    units = [UnitFactory(code="1201"), UnitFactory(code="1202")]
    prospect = deal(Prospect.Stage.NEGOTIATING)
    prospect.units_of_interest.set(units)
    lease = prospect_convert_to_lease(
        prospect=prospect, number="LDC-2026-0100", starts_on=D(2027, 1, 1), ends_on=D(2029, 12, 31)
    )
    assert lease.status == Lease.Status.DRAFT and lease.tenant == prospect.company
    assert sorted(lease.units.values_list("code", flat=True)) == ["1201", "1202"]
    with pytest.raises(ValidationError, match="already has lease LDC-2026-0100"):
        prospect_convert_to_lease(prospect=prospect, number="X", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    lease_sign(lease=lease, signed_on=D(2026, 12, 1))
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.SIGNED


def test_a_deal_without_units_cannot_convert_and_nothing_is_written():
    prospect = deal()
    with pytest.raises(ValidationError, match="Choose the units of interest"):
        prospect_convert_to_lease(prospect=prospect, number="X", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    assert Lease.objects.count() == 0


def test_admin_converts_a_deal_and_reports_bad_dates(staff_client):
    prospect = deal()
    prospect.units_of_interest.set([UnitFactory()])
    url = reverse("admin:leases_prospect_convert", args=[prospect.pk])
    bad = staff_client.post(url, {"number": "L-1", "starts_on": "2027-01-01", "ends_on": "2026-01-01"})
    assert bad.status_code == 200 and "A lease cannot end before it starts." in bad.content.decode()
    assert Lease.objects.count() == 0
    good = staff_client.post(url, {"number": "L-1", "starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    lease = Lease.objects.get(number="L-1")
    assert good.status_code == 302 and good["Location"] == reverse("admin:leases_lease_change", args=[lease.pk])


@pytest.mark.parametrize("count", [2, 40])
def test_pipeline_page_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for n in range(count):
        deal(created_at=at(D(2026, 1, 1)), area=str(100 + n))
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("admin:leases_prospect_pipeline"))
    assert response.status_code == 200
    assert len(response.context["stale"]) == count


@pytest.mark.parametrize("count", [2, 40])
def test_prospect_list_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        deal()
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:leases_prospect_changelist"))
    assert response.context["cl"].result_count == count
