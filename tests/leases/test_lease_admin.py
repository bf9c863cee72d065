import datetime
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from billing.models import Bill, DepositEntry, Payment
from billing.services import bills_issue_due
from leases.models import Lease, LeaseEscalation
from leases.selectors import rent_roll
from leases.services import lease_create, lease_sign
from tests.factories import BuildingFactory, FloorFactory, TenantCompanyFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def lease_post(tenant, units, **changes):
    data = {
        "number": "LDC-2026-0001",
        "tenant": tenant.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "leased_units": [unit.pk for unit in units],
        "area_override": "",
        "area_override_reason": "",
        "rent_rate": "4.50",
        "rent_basis": "per_day",
        "fee_rate": "22.00",
        "payment_cycle": "monthly",
        "due_day": "5",
        "deposit_amount": "0",
        "late_fee_rate": "0",
        "late_fee_grace_days": "0",
        "late_fee_cap_ratio": "1.00",
    }
    for prefix in ["free_periods", "escalations", "bills", "deposit_entries", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**data, **changes}


def test_staff_create_a_lease_with_periods_and_escalations_in_the_admin(staff_client):
    tenant, unit = TenantCompanyFactory(), UnitFactory(leasable_area=Decimal("260"))
    response = staff_client.post(
        reverse("admin:leases_lease_add"),
        lease_post(
            tenant,
            [unit],
            **{
                "free_periods-TOTAL_FORMS": "1",
                "free_periods-0-kind": "fit_out",
                "free_periods-0-starts_on": "2025-12-01",
                "free_periods-0-ends_on": "2026-01-31",
                "free_periods-0-waives_rent": "on",
                "escalations-TOTAL_FORMS": "1",
                "escalations-0-applies_to": "rent",
                "escalations-0-effective_on": "2026-07-01",
                "escalations-0-kind": "percent",
                "escalations-0-value": "5",
                "escalations-0-rate_decimals": "2",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lease = Lease.objects.get(number="LDC-2026-0001")
    assert list(lease.units.all()) == [unit] and lease.free_periods.count() == 1
    assert lease.escalations.get().kind == LeaseEscalation.Kind.PERCENT
    assert lease.lease_units.get().starts_on == D(2025, 12, 1)  # held from the fit-out on
    assert lease.status == Lease.Status.DRAFT and not lease.bills.exists()


def test_the_admin_names_the_conflicting_lease_when_units_are_taken(staff_client):
    unit = UnitFactory(code="1203", leasable_area=Decimal("100"))
    taken = lease_create(
        number="OLD",
        tenant=TenantCompanyFactory(short_name="酷狗音乐"),
        units=[unit],
        starts_on=D(2026, 3, 1),
        ends_on=D(2027, 2, 28),
    )
    lease_sign(lease=taken, signed_on=D(2026, 2, 1))
    mine = lease_create(
        number="NEW",
        tenant=TenantCompanyFactory(),
        units=[UnitFactory()],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    lease_sign(lease=mine, signed_on=D(2025, 12, 1))
    response = staff_client.post(
        reverse("admin:leases_lease_change", args=[mine.pk]),
        lease_post(mine.tenant, [*mine.units.all(), unit], number="NEW"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    # At the units field, with a summary at the top of the page; the inline only points there.
    assert form.errors["leased_units"] == [
        "Unit 1203 is already let to 酷狗音乐 under lease OLD from 2026-03-01 to 2027-02-28."
    ]
    assert "Units already let over these dates: 1203. See the units field." in form.non_field_errors()
    assert list(mine.units.values_list("code", flat=True)) != ["1203"] and mine.units.count() == 1


def test_termination_form_reports_a_date_outside_the_term(staff_client):
    lease = lease_create(
        number="L",
        tenant=TenantCompanyFactory(),
        units=[UnitFactory()],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
    )
    lease_sign(lease=lease, signed_on=D(2025, 12, 1))
    url = reverse("admin:leases_lease_terminate", args=[lease.pk])
    bad = staff_client.post(url, {"terminated_on": "2027-05-01", "termination_reason": "提前退租"})
    assert "A lease can only be terminated within its term." in bad.content.decode()
    assert staff_client.post(url, {"terminated_on": "2026-06-30", "termination_reason": "提前退租"}).status_code == 302
    assert Lease.objects.get(pk=lease.pk).terminated_on == D(2026, 6, 30)


def test_a_bill_downloads_as_a_pdf_with_chinese_text_in_an_embedded_cjk_font(staff_client, tmp_path):
    tenant = TenantCompanyFactory(name="广州酷狗计算机科技有限公司")
    lease = lease_create(
        number="LDC-DEMO-001",
        tenant=tenant,
        units=[UnitFactory(leasable_area=Decimal("100"))],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        fee_rate=Decimal("22"),
    )
    lease_sign(lease=lease, signed_on=D(2025, 12, 1))
    bills_issue_due(on=D(2026, 1, 1))
    bill = Bill.objects.exclude(status="scheduled").get()
    response = staff_client.get(reverse("admin:billing_bill_pdf", args=[bill.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bill.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "广州酷狗计算机科技有限公司" in text and bill.number in text and "12,200.00" in text
    assert "租金" in text and "物业管理费" in text
    assert "人民币壹万贰仟贰佰元整" in text and "1209 0000 0000 0000" in text  # due in capitals; where to pay
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC-Bold" in fonts and "Noto-Sans-CJK-SC " in fonts  # a real bold, not a faked one
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def signed(number, units, starts_on, ends_on, **terms):
    lease = lease_create(
        number=number, tenant=TenantCompanyFactory(), units=units, starts_on=starts_on, ends_on=ends_on, **terms
    )
    return lease_sign(lease=lease, signed_on=starts_on - datetime.timedelta(days=30))


def building_with_units(count: int):
    building = BuildingFactory()
    floor = FloorFactory(building=building, gross_area=Decimal("100000"), leasable_area=Decimal("100000"))
    units = [
        UnitFactory(floor=floor, building=building, code=f"U{n + 1}", leasable_area=Decimal("100"))
        for n in range(count)
    ]
    return building, units


def test_rent_roll_kpis_match_a_hand_computed_building(staff_client):
    building, (u1, u2, _u3, _u4) = building_with_units(4)
    signed(
        "A",
        [u1],
        D(2026, 1, 1),
        D(2029, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        fee_rate=Decimal("20"),
    )
    signed("B", [u2], D(2026, 1, 1), D(2027, 12, 31), rent_rate=Decimal("4"), rent_basis="per_day")
    response = staff_client.get(reverse("admin:leases_lease_rent_roll", args=[building.pk]) + "?on=2026-12-31")
    roll = response.context["roll"]
    rows = {row.unit.code: row for row in roll.rows}
    assert (rows["U1"].monthly_rent, rows["U1"].monthly_fee) == (Decimal("10000.00"), Decimal("2000.00"))
    assert rows["U2"].monthly_rent == Decimal("12166.67")  # 100 m² × 4 × 365/12
    assert rows["U3"].lease is None and rows["U3"].monthly_rent == 0
    assert (roll.occupancy_by_area, roll.occupancy_by_count) == (Decimal("50.0"), Decimal("50.0"))
    assert roll.average_rent == Decimal("110.83")  # 22,166.67 / 200 m²
    assert (roll.wale_by_area, roll.wale_by_income) == (Decimal("2.00"), Decimal("1.90"))
    assert [(q.label, q.leases, q.area) for q in roll.expiries if q.leases] == [("2027 Q4", 1, Decimal("100.00"))]
    assert len(roll.expiries) == 12 and roll.expiries[0].label == "2026 Q4"


def test_occupancy_counts_only_units_let_under_leases(staff_client):
    building, (office, shop, _vacant_office, room) = building_with_units(4)
    shop.use, room.use = "retail", "apartment"
    shop.save()
    room.save()
    hall = UnitFactory(floor=office.floor, building=building, code="H1", use="hall", leasable_area=Decimal("500"))
    signed("O", [office], D(2026, 1, 1), D(2027, 12, 31), rent_rate=Decimal("100"), rent_basis="per_month")
    response = staff_client.get(reverse("admin:leases_lease_rent_roll", args=[building.pk]) + "?on=2026-06-30")
    roll = response.context["roll"]
    # Offices and shops: 3 units of 100 m², one let; the apartment and the 500 m² hall are not counted.
    assert (roll.total_area, roll.leased_area) == (Decimal("300"), Decimal("100"))
    assert (roll.occupancy_by_area, roll.occupancy_by_count) == (Decimal("33.3"), Decimal("33.3"))
    statuses = {row.unit.code: row.status_label for row in roll.rows}
    assert (
        statuses[room.code] == "let by the bed (talent apartments)"
        and statuses[hall.code] == "let by the booking (halls)"
    )
    assert statuses[shop.code] == "vacant" and statuses[office.code] == "leased"
    assert "let by the bed (talent apartments)" in response.content.decode()


def test_rent_roll_splits_an_overridden_leased_area_over_its_units_by_their_areas():
    building, (u1, u2, u3) = building_with_units(3)
    u3.leasable_area = Decimal("200")
    u3.save()
    lease = signed(
        "C",
        [u1, u3],
        D(2026, 1, 1),
        D(2027, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        area_override=Decimal("240"),
        area_override_reason="实测面积",
    )
    rows = {row.unit.code: row for row in rent_roll(building=building, on=D(2026, 6, 30)).rows}
    assert lease.area_override == Decimal("240")
    assert (rows["U1"].monthly_rent, rows["U3"].monthly_rent) == (Decimal("8000.00"), Decimal("16000.00"))
    assert rows["U2"].lease is None and rows["U1"].unit.floor.building_id == building.pk


def test_rent_roll_exports_csv_and_xlsx_without_formulas(staff_client):
    building, (u1, *_rest) = building_with_units(2)
    lease = signed(
        "=CMD|' /C calc'!A0", [u1], D(2026, 1, 1), D(2027, 12, 31), rent_rate=Decimal("100"), rent_basis="per_month"
    )
    url = reverse("admin:leases_lease_rent_roll", args=[building.pk]) + "?on=2026-06-30&export="
    csv_text = staff_client.get(url + "csv").content.decode()
    assert "'=CMD" in csv_text and "10000.00" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(staff_client.get(url + "xlsx").content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert f"'{lease.number}" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("count", [2, 40])
def test_rent_roll_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    building, units = building_with_units(count)
    for n, unit in enumerate(units):
        signed(f"L{n}", [unit], D(2026, 1, 1), D(2027, 12, 31), rent_rate=Decimal("4.5"))
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("admin:leases_lease_rent_roll", args=[building.pk]) + "?on=2026-06-30")
    assert len(response.context["roll"].leased_rows) == count


@pytest.mark.parametrize("count", [2, 30])
def test_bill_and_lease_lists_use_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    _building, units = building_with_units(count)
    for n, unit in enumerate(units):
        signed(f"L{n}", [unit], D(2026, 1, 1), D(2026, 3, 31), rent_rate=Decimal("4.5"))
    bills_issue_due(on=D(2026, 3, 1))
    for url in (
        reverse("admin:billing_bill_changelist"),
        reverse("admin:leases_lease_changelist"),
        reverse("admin:billing_bill_arrears"),
        reverse("admin:billing_payment_changelist"),
        reverse("admin:index"),
    ):
        with django_assert_max_num_queries(14):
            assert staff_client.get(url).status_code == 200


def test_staff_record_a_payment_in_the_admin_and_duplicates_are_refused(staff_client):
    _building, (unit,) = building_with_units(1)
    lease = signed("L", [unit], D(2026, 1, 1), D(2026, 12, 31), rent_rate=Decimal("100"), rent_basis="per_month")
    bills_issue_due(on=D(2026, 1, 1))
    data = {
        "company": lease.tenant_id,
        "amount": "10000",
        "received_on": "2026-01-04",
        "method": "bank_transfer",
        "reference": "ICBC-0001",
        "note": "",
        "bill": "",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "ledger_entries-TOTAL_FORMS": "0",
        "ledger_entries-INITIAL_FORMS": "0",
    }
    assert staff_client.post(reverse("admin:billing_payment_add"), data).status_code == 302
    payment = Payment.objects.get()
    assert payment.recorded_by.username == "clerk" and payment.allocations.get().amount == Decimal("10000.00")
    again = staff_client.post(reverse("admin:billing_payment_add"), data)
    assert "A payment with this method and reference is already recorded." in again.content.decode()
    assert Payment.objects.count() == 1


def test_the_admin_refuses_a_deposit_refund_while_rent_is_overdue_and_posts_one_when_paid(staff_client):
    tenant = TenantCompanyFactory(short_name="欠租")
    lease = lease_create(
        number="DEP",
        tenant=tenant,
        units=[UnitFactory(leasable_area=Decimal("100"))],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        rent_rate=Decimal("100"),
        rent_basis="per_month",
        deposit_amount=Decimal("20000"),
    )
    lease_sign(lease=lease, signed_on=D(2025, 12, 1))
    url = reverse("admin:leases_lease_deposit", args=[lease.pk])
    received = {"movement": "received", "amount": "20000.00", "on": "2025-12-01", "reference": "DEP-1", "reason": ""}
    assert staff_client.post(url, received).status_code == 302
    bills_issue_due(on=D(2026, 2, 1))  # January and February, 10,000 each, past due on 2026-11-24
    refund = {"movement": "refunded", "amount": "20000.00", "on": "2026-11-24", "reference": "REF-1", "reason": ""}
    response = staff_client.post(url, refund)
    assert response.status_code == 200
    assert "欠租 owes 20,000.00 on bills past due" in response.content.decode()
    assert DepositEntry.objects.filter(lease=lease).count() == 1
    applied = {"movement": "applied", "amount": "20000.00", "on": "2026-11-24", "reference": "", "reason": "抵扣欠租"}
    assert staff_client.post(url, applied).status_code == 302
    assert list(lease.bills.values_list("status", flat=True).order_by("period_start")[:2]) == ["paid", "paid"]
    response = staff_client.post(url, {**refund, "amount": "0.01"})
    assert "The deposit holds only 0.00." in response.content.decode()
