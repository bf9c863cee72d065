import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Min, Sum
from django.utils import timezone

from apartments.models import ApartmentApplication, BedAllocation
from billing.models import Bill, Payment
from events.models import Booking
from leases.models import Lease, LeaseUnit, Prospect
from leases.schedule import build_schedule
from leases.selectors import lease_terms
from spaces.models import Building, Floor, Unit
from tenants.models import IndustryCluster, Milestone, PartnerAgreement, TenantCompany, TenantMembership

from .test_admin_pages import walk_every_changelist_add_and_change_page_in_both_languages

pytestmark = pytest.mark.django_db


def snapshot():
    users = get_user_model().objects.order_by("username")
    return {
        "buildings": list(Building.objects.values_list("code", "name_zh", "gross_floor_area", "height_m")),
        "floors": list(
            Floor.objects.order_by("building", "sort_order").values_list(
                "building__code", "label", "gross_area", "leasable_area", "main_use"
            )
        ),
        "units": list(
            Unit.objects.order_by("building", "code").values_list("building__code", "code", "use", "leasable_area")
        ),
        "clusters": list(IndustryCluster.objects.values_list("code", "name_zh", "colour")),
        "companies": list(TenantCompany.objects.values_list("name", "credit_code", "status")),
        "leases": list(
            Lease.objects.order_by("number").values_list("number", "tenant__name", "starts_on", "ends_on", "status")
        ),
        "lease_units": LeaseUnit.objects.count(),
        "agreements": list(PartnerAgreement.objects.values_list("partner__name", "title", "status")),
        "milestones": list(Milestone.objects.values_list("description", "due_on", "status")),
        "prospects": list(Prospect.objects.values_list("company__name", "stage", "area_wanted")),
        "memberships": list(TenantMembership.objects.values_list("user__username", "company__name", "role")),
        "bills": Bill.objects.count(),
        "payments": Payment.objects.count(),
        "bookings": list(
            Booking.objects.order_by("starts_at", "hall").values_list("hall__name_zh", "starts_at", "status")
        ),
        "allocations": list(
            BedAllocation.objects.order_by("bed").values_list("bed__room__unit__code", "name", "check_in")
        ),
        "applications": ApartmentApplication.objects.count(),
        "users": [(u.username, u.is_staff, u.is_superuser, [g.name for g in u.groups.all()]) for u in users],
    }


def test_seed_demo_loads_the_real_tower_and_is_idempotent(client, monkeypatch):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = snapshot()
    for username in ["admin", "manager", "staff"]:
        assert username in out.getvalue()
        assert get_user_model().objects.get(username=username).check_password("parkops-demo")

    tower = Building.objects.get(code="LDC")
    assert tower.name_zh == "岭南数字创意大厦"
    assert tower.gross_floor_area == Decimal("116000.00") and tower.height_m == Decimal("149.95")
    assert tower.floors.aggregate(total=Sum("gross_area"))["total"] == Decimal("116000.00")
    assert tower.floors.filter(main_use=Floor.Use.APARTMENT).count() == 2
    assert tower.floors.filter(main_use=Floor.Use.HALL).exists()
    assert TenantCompany.objects.filter(short_name="酷狗音乐", leases__isnull=False).exists()
    offices = Unit.objects.filter(building=tower, use=Unit.Use.OFFICE).with_occupancy(on=datetime.date(2026, 12, 1))
    assert set(offices.values_list("occupancy_status", flat=True)) == {"leased", "reserved", "vacant"}
    # One seeded tower serves the checks of each part and the walk of the admin (seeding takes half
    # a minute).
    check_partners_companies_logins_and_deals()
    check_halls_the_conference_and_the_apartment_floors()
    check_statistics_and_incentives()
    walk_every_changelist_add_and_change_page_in_both_languages(client, get_user_model().objects.get(username="admin"))

    # Seeding again changes nothing but the password, when the environment names another.
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret")
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert get_user_model().objects.get(username="manager").check_password("another-secret")


def check_statistics_and_incentives():
    from filings.models import Filing, ReportingPeriod
    from incentives.models import GrantCredit, IncentiveGrant

    assert ReportingPeriod.objects.filter(status="closed").count() == 8  # two years of quarters
    assert ReportingPeriod.objects.filter(status="open").count() == 1
    closed = Filing.objects.filter(period__status="closed")
    assert closed.exclude(status="accepted").count() == 0 and closed.late(on=timezone.localdate()).exists()
    current = Filing.objects.filter(period__status="open")
    assert current.filter(status="returned").count() == 1 and current.filter(status="accepted").exists()
    assert current.filter(status="draft").exists()
    assert IncentiveGrant.objects.filter(policy__kind="rent_reduction").exists()
    assert GrantCredit.objects.exists() and IncentiveGrant.objects.filter(policy__kind="apartment_quota").exists()


def test_seed_demo_scale_adds_benchmark_buildings_with_ten_years_of_leases_and_bills():
    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    extra = Building.objects.get(code="LDC-02")
    assert Unit.objects.filter(building=extra).count() == 1200
    tenants = TenantCompany.objects.filter(leases__lease_units__unit__building=extra).distinct()
    assert tenants.count() == 60
    leases = Lease.objects.filter(lease_units__unit__building=extra).distinct()
    today = timezone.localdate()
    assert leases.aggregate(first=Min("starts_on"))["first"] <= today.replace(year=today.year - 10)
    assert leases.filter(status=Lease.Status.RENEWED).count() == leases.filter(renews__isnull=False).count()
    vacant = Unit.objects.filter(building=extra).with_occupancy(on=today).filter(occupancy_status=Unit.Status.VACANT)
    assert 0.3 < vacant.count() / 1200 < 0.45

    # The bulk-written bills are what the lease services would have scheduled, numbered without gaps.
    lease = leases.filter(status=Lease.Status.ACTIVE, escalations__isnull=False).first()
    expected = build_schedule(lease_terms(lease=lease)).periods
    bills = list(lease.bills.order_by("period_start"))
    assert [(b.period_start, b.due_on, b.amount) for b in bills] == [(p.starts_on, p.due_on, p.total) for p in expected]
    numbers = Bill.objects.exclude(number=None).filter(issued_on__year=2020).values_list("number", flat=True)
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, len(numbers) + 1))
    paid = Bill.objects.filter(lease__in=leases, status=Bill.Status.PAID)
    assert (
        paid.aggregate(total=Sum("amount_paid"))["total"]
        == Payment.objects.filter(allocations__bill__in=paid).aggregate(total=Sum("amount"))["total"]
    )
    assert Bill.objects.filter(lease__in=leases, status=Bill.Status.OVERDUE).exists()

    counts = (Unit.objects.count(), Lease.objects.count(), Bill.objects.count())
    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    assert (Unit.objects.count(), Lease.objects.count(), Bill.objects.count()) == counts


def check_partners_companies_logins_and_deals():
    assert IndustryCluster.objects.count() == 13
    partners = TenantCompany.objects.filter(agreements__signed_on=datetime.date(2025, 3, 28)).distinct()
    assert partners.count() == 12
    kugou = TenantCompany.objects.get(short_name="酷狗音乐")
    music_valley = kugou.agreements.get()
    assert "音乐硅谷" in music_valley.title and music_valley.milestones.count() == 5
    assert PartnerAgreement.objects.get(partner__short_name="北京文创板").milestones.count() == 5
    demo = TenantCompany.objects.filter(name__endswith="有限公司", name__startswith="广州", is_demo=True)
    assert demo.exclude(name__in=["广州酷狗计算机科技有限公司", "广州越秀物业发展有限公司"]).count() == 60
    assert demo.exclude(stock_exchange="").exists() and demo.filter(is_incubated_in_park=True).exists()
    assert set(kugou.year_figures.values_list("year", flat=True)) == {2022, 2023, 2024, 2025}
    assert 18 <= Prospect.objects.count() <= 22
    assert set(Prospect.objects.values_list("stage", flat=True)) == set(Prospect.Stage.values)
    kugou_login = get_user_model().objects.get(username="kugou")
    assert kugou_login.tenant_membership.company == kugou and kugou_login.tenant_membership.role == "admin"
    assert kugou_login.check_password("parkops-demo") and not kugou_login.is_staff
    tenants = TenantCompany.objects.filter(status=TenantCompany.Status.TENANT)
    assert TenantMembership.objects.filter(role="admin").count() == tenants.count()


def check_halls_the_conference_and_the_apartment_floors():
    from apartments.selectors import apartment_occupancy
    from events.models import Event, Hall

    assert {"多功能厅A", "音乐空间", "创业工坊"} <= set(Hall.objects.values_list("name_zh", flat=True))
    conference = Event.objects.get(title="岭南数字创意大厦新基建高质量发展大会")
    assert conference.programme.count() == 5 and conference.bookings.get().starts_at.date() == datetime.date(
        2025, 3, 28
    )
    assert Booking.objects.count() > 30
    occupancy = apartment_occupancy(on=datetime.date.today())
    assert occupancy.beds == 72 and 0.7 <= occupancy.occupied_beds / occupancy.beds <= 0.85
    assert ApartmentApplication.objects.filter(status="pending").count() == 4
