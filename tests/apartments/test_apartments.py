import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apartments.identity import mainland_check_character, validate_identity
from apartments.models import ApartmentApplication, ApartmentQuota, ApartmentRoom, Bed, BedAllocation
from apartments.selectors import apartment_occupancy
from apartments.services import (
    allocation_check_in,
    allocation_check_out,
    allocation_move,
    apartment_apply,
    apartment_bills_issue,
    apartment_rent_schedule,
    application_approve,
)
from billing.models import Bill
from billing.selectors import company_credit
from billing.services import bill_issue, bill_void, bills_issue_due, payment_record
from core.masking import mask_id, mask_phone
from leases.services import lease_create, lease_sign
from parkops.schedules import JOBS
from tests.conftest import race, requires_postgres
from tests.factories import FloorFactory, TenantCompanyFactory, UnitFactory

D = datetime.date
VALID_ID = "11010519491231002X"  # the standard's own example


def resident_id(n: int) -> str:
    body = f"44010619900101{n:03d}"
    return body + mainland_check_character(body)


@pytest.fixture
def rooms(db):
    """Two studios (one bed each) and a two-bedroom (beds A and B) at 1,600 a bed."""
    floor = FloorFactory(gross_area=Decimal("3000"), leasable_area=Decimal("3000"))
    made = []
    for code, layout, count in (("3001", "studio", 1), ("3002", "studio", 1), ("3003", "two_bed", 2)):
        unit = UnitFactory(
            floor=floor, building=floor.building, code=code, use="apartment", leasable_area=Decimal("60")
        )
        room = ApartmentRoom.objects.create(unit=unit, layout=layout, monthly_rent=Decimal("1600"))
        made += [Bed.objects.create(room=room, label=label) for label in "AB"[:count]]
    return made


def apply(company, n=1, wanted=None, months=6):
    wanted = wanted or D(2026, 12, 1)
    return apartment_apply(
        application=ApartmentApplication(
            company=company,
            name=f"员工{n}",
            id_number=resident_id(n),
            phone="13800001234",
            wanted_from=wanted,
            months=months,
        )
    )


@pytest.mark.parametrize(
    "number", [VALID_ID, "440106199001010011"[:17] + mainland_check_character("44010619900101001")]
)
def test_mainland_ids_pass_by_their_mod_11_2_check_digit(number):
    validate_identity("mainland_id", number)


@pytest.mark.parametrize(
    "id_type, number, message",
    [
        ("mainland_id", "110105194912310021", "should be X"),
        ("mainland_id", "110105194902300025", "birth date"),
        ("mainland_id", "11010519491231", "17 digits"),
        ("passport", "E1234", None),
        ("passport", "E12-34", "5 to 17"),
        ("hk_macao_permit", "H1234567", "H or M"),
    ],
)
def test_identity_documents_are_checked_by_their_format(id_type, number, message):
    if message is None:
        validate_identity(id_type, number)
        return
    with pytest.raises(ValidationError, match=message):
        validate_identity(id_type, number)


def test_masking_keeps_only_the_ends():
    assert mask_id(VALID_ID) == "1101**********002X"
    assert mask_phone("138 0013 5678") == "138****5678"


@pytest.mark.django_db
def test_approval_allocates_a_bed_within_the_quota(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=2)
    first = application_approve(application=apply(company, 1), bed=rooms[0])
    assert (first.check_in, first.planned_check_out, first.monthly_rent) == (
        D(2026, 12, 1),
        D(2027, 6, 1),
        Decimal("1600"),
    )
    application_approve(application=apply(company, 2), bed=rooms[1])
    third = apply(company, 3)
    with pytest.raises(ValidationError, match="may hold 2 beds at once"):
        application_approve(application=third, bed=rooms[2])
    assert BedAllocation.objects.count() == 2
    assert ApartmentApplication.objects.get(pk=third.pk).status == "pending"
    later = apply(company, 4, wanted=D(2027, 6, 1))  # the first two have left by then
    assert application_approve(application=later, bed=rooms[0]).check_in == D(2027, 6, 1)


@pytest.mark.django_db
def test_one_bed_never_holds_two_residents_at_once(rooms):
    a, b = TenantCompanyFactory(), TenantCompanyFactory()
    for company in (a, b):
        ApartmentQuota.objects.create(company=company, beds=5)
    application_approve(application=apply(a, 1), bed=rooms[0])
    with pytest.raises(ValidationError, match="already taken"):
        application_approve(application=apply(b, 2, wanted=D(2027, 1, 1)), bed=rooms[0])


@requires_postgres
@pytest.mark.django_db
def test_the_database_refuses_a_second_resident_in_a_bed(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=5)
    application_approve(application=apply(company, 1), bed=rooms[0])
    with pytest.raises(IntegrityError, match="allocation_one_resident_per_bed"), transaction.atomic():
        BedAllocation.objects.create(
            bed=rooms[0],
            company=company,
            name="x",
            id_number=VALID_ID,
            phone="1",
            check_in=D(2027, 1, 1),
            planned_check_out=D(2027, 2, 1),
            occupied_until=D(2027, 2, 1),
            monthly_rent=1,
        )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_double_allocate_a_bed(rooms):
    companies = [TenantCompanyFactory() for _ in range(6)]
    applications = []
    for n, company in enumerate(companies):
        ApartmentQuota.objects.create(company=company, beds=3)
        applications.append(apply(company, n))
    outcomes = race(
        lambda application: application_approve(application=application, bed=rooms[0]),
        applications,
        refused=ValidationError,
    )
    assert outcomes == ["refused"] * 5 + ["won"]
    assert BedAllocation.objects.filter(bed=rooms[0]).count() == 1


@pytest.mark.django_db
def test_occupancy_matches_a_hand_computed_fixture(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=10)
    # Bed 3001-A: from 12-01 for 6 months; 3003-A: from 12-01, left early on 12-11; 3003-B: from 2027-01-01.
    a = application_approve(application=apply(company, 1), bed=rooms[0])
    b = application_approve(application=apply(company, 2), bed=rooms[2])
    application_approve(application=apply(company, 3, wanted=D(2027, 1, 1)), bed=rooms[3])
    allocation_check_in(allocation=b)
    allocation_check_out(allocation=b, on=D(2026, 12, 11))
    ApartmentApplication.objects.filter(pk=apply(company, 4).pk).update(status="waitlisted")
    on_5th, on_15th = apartment_occupancy(on=D(2026, 12, 5)), apartment_occupancy(on=D(2026, 12, 15))
    assert (on_5th.beds, on_5th.occupied_beds, on_5th.rooms, on_5th.occupied_rooms) == (4, 2, 3, 2)
    assert (on_15th.occupied_beds, on_15th.occupied_rooms, on_15th.vacant_beds) == (1, 1, 3)
    assert on_15th.waiting == 1 and on_15th.average_stay_days == Decimal("10.0") and on_5th.bed_rate == Decimal("50.0")
    assert a.holds_on(D(2026, 12, 15))


@pytest.mark.django_db
def test_a_resident_moves_to_another_bed_and_the_rent_is_billed_by_day(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3)
    allocation = application_approve(application=apply(company, 1), bed=rooms[0])
    allocation_check_in(allocation=allocation)
    moved = allocation_move(allocation=allocation, to_bed=rooms[1], on=D(2026, 12, 21))
    assert moved.bed == rooms[1] and BedAllocation.objects.get(pk=allocation.pk).occupied_until == D(2026, 12, 21)
    [bill] = apartment_bills_issue(year=2026, month=12, on=D(2026, 11, 25))
    # 20 days in 3001-A and 11 days in 3002-A at 1,600 a month of 31 days: 1,032.26 + 567.74 = 1,600.00.
    assert sorted(line.amount for line in bill.lines.all()) == [Decimal("567.74"), Decimal("1032.26")]
    assert bill.amount == Decimal("1600.00") and bill.company == company and bill.resident_name == ""
    assert apartment_bills_issue(year=2026, month=12, on=D(2026, 11, 25)) == []  # billed once
    assert Bill.objects.count() == 1


@pytest.mark.django_db
def test_the_daily_rent_job_bills_late_check_ins_and_voided_months_once_each(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3)
    application_approve(application=apply(company, 1), bed=rooms[0])  # from 2026-12-01, for six months
    [december] = apartment_rent_schedule(on=D(2026, 12, 1))
    assert (december.period_start, december.amount) == (D(2026, 12, 1), Decimal("1600.00"))
    assert apartment_rent_schedule(on=D(2026, 12, 2)) == []  # the next day's run bills nothing twice
    application_approve(application=apply(company, 2, wanted=D(2026, 12, 11)), bed=rooms[1])  # checks in later
    [late] = apartment_rent_schedule(on=D(2026, 12, 12))
    # 21 of 31 days at 1,600: 1,083.87, on a bill of its own for the same month.
    assert (late.period_start, late.amount, late.lines.get().description.endswith("员工2")) == (
        D(2026, 12, 1),
        Decimal("1083.87"),
        True,
    )
    bill_issue(bill=december, on=D(2026, 12, 1))
    bill_void(bill=december, reason="床位单价更正")
    [again] = apartment_rent_schedule(on=D(2026, 12, 13))
    assert again.amount == Decimal("1600.00") and again.pk != december.pk
    assert Bill.objects.exclude(status="void").count() == 2
    assert "apartments.apartment_rent_schedule" in {job.task for job in JOBS}


@pytest.mark.django_db
def test_a_check_out_credits_the_days_not_stayed_of_an_issued_month_and_rebills_a_scheduled_one(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3)
    first = application_approve(application=apply(company, 1), bed=rooms[0])
    second = application_approve(application=apply(company, 2), bed=rooms[1])
    allocation_check_in(allocation=first)
    allocation_check_in(allocation=second)
    [december] = apartment_rent_schedule(on=D(2026, 12, 1))  # two residents at 1,600: 3,200
    bill_issue(bill=december, on=D(2026, 12, 1))
    payment_record(
        company=company, amount=Decimal("3200"), received_on=D(2026, 12, 2), method="bank_transfer", reference="AP-1"
    )
    allocation_check_out(allocation=first, on=D(2026, 12, 11))
    december.refresh_from_db()
    # Stayed 10 of 31 days: 1,600 × 10 / 31 = 516.13; the other 1,083.87 is credited back to the company.
    credit = december.ledger_entries.get(kind="credit_note")
    assert credit.credit == Decimal("1083.87") and "员工1" in credit.reason
    assert (december.amount_due, december.amount_paid) == (Decimal("2116.13"), Decimal("2116.13"))
    assert company_credit(company=company) == Decimal("1083.87")
    # January is scheduled for the one still staying (to 2027-05-31) and the one who left is not on it.
    [january] = apartment_rent_schedule(on=D(2027, 1, 1))
    assert january.amount == Decimal("1600.00") and january.lines.get().description.endswith("员工2")
    # February, only scheduled, is dropped at a check-out on 02-15 and billed again: 14 of 28 days, 800.00.
    [february] = apartment_rent_schedule(on=D(2027, 2, 1))
    allocation_check_out(allocation=second, on=D(2027, 2, 15))
    assert not Bill.objects.filter(pk=february.pk).exists()
    rebilled = Bill.objects.get(period_start=D(2027, 2, 1))
    assert rebilled.amount == Decimal("800.00") and rebilled.status == "scheduled"


@pytest.mark.django_db
def test_credit_belongs_to_its_payer_and_pays_only_that_payers_bills(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3, bill_to="resident")
    application_approve(application=apply(company, 1), bed=rooms[0])
    [resident_bill] = apartment_rent_schedule(on=D(2026, 12, 1))  # 1,600 to 员工1
    lease = lease_sign(
        lease=lease_create(
            number="P-1",
            tenant=company,
            units=[UnitFactory(leasable_area=Decimal("100"))],
            starts_on=D(2026, 12, 1),
            ends_on=D(2027, 11, 30),
            rent_rate=Decimal("100"),
            rent_basis="per_month",
        ),
        signed_on=D(2026, 11, 1),
    )
    bills_issue_due(on=D(2026, 12, 1))
    rent = lease.bills.get(period_start=D(2026, 12, 1))
    # The company pays 20,000: its rent (10,000) and nothing of the resident's bill; 10,000 stays its credit.
    payment_record(
        company=company, amount=Decimal("20000"), received_on=D(2026, 12, 2), method="bank_transfer", reference="CO-1"
    )
    rent.refresh_from_db()
    resident_bill.refresh_from_db()
    assert (rent.status, resident_bill.status, resident_bill.amount_paid) == ("paid", "issued", Decimal("0.00"))
    assert company_credit(company=company) == Decimal("10000.00")
    # The resident pays 2,000 for their own bill only; 400 stays the resident's credit, not the company's.
    payment_record(
        company=company,
        resident_name="员工1",
        amount=Decimal("2000"),
        received_on=D(2026, 12, 3),
        method="wechat",
        reference="RES-1",
    )
    resident_bill.refresh_from_db()
    assert resident_bill.status == "paid" and company_credit(company=company, resident_name="员工1") == Decimal(
        "400.00"
    )
    with pytest.raises(ValidationError, match="another payer"):
        payment_record(
            company=company,
            amount=Decimal("1"),
            received_on=D(2026, 12, 3),
            method="cash",
            reference="CO-2",
            bill=resident_bill,
        )


@pytest.mark.django_db
def test_residents_pay_themselves_when_the_company_says_so(rooms):
    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3, bill_to="resident")
    application_approve(application=apply(company, 1), bed=rooms[0])
    [bill] = apartment_bills_issue(year=2026, month=12, on=D(2026, 11, 25))
    assert bill.resident_name == "员工1"


@pytest.mark.django_db
def test_identity_is_masked_for_staff_without_the_permission(client, django_user_model, rooms):
    from django.contrib.auth.models import Permission

    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3)
    allocation = application_approve(application=apply(company, 1), bed=rooms[0])
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_bedallocation", "view_apartmentapplication"])
    )
    client.force_login(clerk)
    for url in (
        reverse("admin:apartments_bedallocation_changelist"),
        reverse("admin:apartments_bedallocation_change", args=[allocation.pk]),
    ):
        html = client.get(url).content.decode()
        assert resident_id(1) not in html and mask_id(resident_id(1)) in html and "13800001234" not in html
    clerk.user_permissions.add(Permission.objects.get(codename="view_resident_identity"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    assert resident_id(1) in client.get(reverse("admin:apartments_bedallocation_changelist")).content.decode()


@pytest.mark.django_db
def test_the_portal_masks_residents_and_takes_applications(client, django_user_model, rooms):
    from tenants.models import TenantMembership

    company = TenantCompanyFactory()
    ApartmentQuota.objects.create(company=company, beds=3)
    application_approve(application=apply(company, 1), bed=rooms[0])
    user = django_user_model.objects.create_user("kugou")
    TenantMembership.objects.create(user=user, company=company, role="admin")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("portal:apartments")).content.decode()
    assert resident_id(1) not in page and mask_id(resident_id(1)) in page
    bad = client.post(
        reverse("portal:apartments"),
        {
            "name": "新员工",
            "id_type": "mainland_id",
            "id_number": "110105194912310021",
            "phone": "13900001111",
            "wanted_from": "2027-01-01",
            "months": "6",
        },
    )
    assert "should be X" in bad.content.decode() and ApartmentApplication.objects.count() == 1
    client.post(
        reverse("portal:apartments"),
        {
            "name": "新员工",
            "id_type": "mainland_id",
            "id_number": VALID_ID,
            "phone": "13900001111",
            "wanted_from": "2027-01-01",
            "months": "6",
        },
    )
    assert ApartmentApplication.objects.filter(company=company, status="pending").count() == 1
