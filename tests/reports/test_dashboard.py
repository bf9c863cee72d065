"""The managers' dashboard: monthly figures frozen once, equal to the reports' for the same day,
live figures counted by hand, a fixed number of queries, and the page at phone and desk width."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Bill
from billing.services import bills_issue_due, payment_record
from reports.dashboard import dashboard, figures_freeze
from reports.figures import occupancy_figures
from reports.models import MonthlyFigures
from servicedesk.models import ServiceRequest
from tests.factories import BuildingFactory, FloorFactory, UnitFactory

from .helpers import signed

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 24)  # the suite's pinned clock


def portfolio(month):
    return MonthlyFigures.objects.get(month=month, building=None).figures


def test_ended_months_are_frozen_once_and_the_current_month_refreshed(tower):
    assert figures_freeze(on=TODAY, months=2) == 3  # September and October final, November provisional
    # U1 (100 m² of 400) let all along, U2 from 15 October: 25 % in September, 50 % since
    assert [portfolio(D(2026, m, 1))["occupancy_by_area"] for m in (9, 10, 11)] == ["25.0", "50.0", "50.0"]
    assert [portfolio(D(2026, m, 1))["occupancy_by_count"] for m in (9, 10, 11)] == ["25.0", "50.0", "50.0"]
    # A pays 100 m² × 100 a month; B 100 m² × 4 a day × 365/12 days = 12,166.67
    november = portfolio(D(2026, 11, 1))
    assert (november["monthly_rent"], november["leased_area"], november["leasable_area"]) == (
        "22166.67",
        "200.00",
        "400.00",
    )
    assert MonthlyFigures.objects.get(month=D(2026, 10, 1), building=tower).figures["occupancy_by_area"] == "50.0"
    frozen = MonthlyFigures.objects.get(month=D(2026, 10, 1), building=None)

    UnitFactory(floor=tower.floors.first(), building=tower, code="103", leasable_area=Decimal("100"))
    assert figures_freeze(on=TODAY, months=2) == 1  # only November again
    again = MonthlyFigures.objects.get(month=D(2026, 10, 1), building=None)
    assert (again.figures, again.computed_at) == (frozen.figures, frozen.computed_at)  # a final month stays
    assert portfolio(D(2026, 11, 1))["leasable_area"] == "500.00"  # the provisional month follows the tower


def test_frozen_figures_equal_the_occupancy_reports_for_the_same_month(tower):
    figures_freeze(on=TODAY, months=1)
    report = occupancy_figures(buildings=[tower], period_start=D(2026, 10, 1), period_end=D(2026, 10, 31))
    frozen = portfolio(D(2026, 10, 1))
    assert frozen["occupancy_by_area"] == str(report.occupancy_by_area)
    assert frozen["occupancy_by_count"] == str(report.occupancy_by_count)
    assert frozen["leased_area"] == str(report.leased_area)


def test_collection_and_arrears_are_counted_from_the_ledger(tower):
    bills_issue_due(on=D(2026, 11, 1))
    november = list(Bill.objects.filter(due_on__range=(D(2026, 11, 1), D(2026, 11, 30))).order_by("pk"))
    billed = sum((bill.amount_due for bill in november), Decimal("0"))
    first = november[0]
    payment_record(
        company=first.company,
        amount=Decimal("5000.00"),
        received_on=D(2026, 11, 5),
        method="bank_transfer",
        reference="DASH-1",
        bill=first,
    )
    figures_freeze(on=TODAY, months=0)
    current = portfolio(D(2026, 11, 1))
    assert (current["billed"], current["collected"]) == (str(billed), "5000.00")
    assert current["collection_rate"] == str((Decimal("5000") / billed * 100).quantize(Decimal("0.1")))
    board = dashboard(on=TODAY)
    # everything billed by today and unpaid is in arrears; what fell due within 30 days in the first bucket
    open_total = sum(
        (b.amount_due - b.amount_paid for b in Bill.objects.filter(due_on__lt=TODAY).exclude(status="scheduled")),
        Decimal("0"),
    )
    assert Decimal(board.arrears["total"]) == open_total > 0


def test_open_requests_are_aged_and_late_answers_counted(world):
    now = timezone.now()
    request = world["a"]["service_request"]
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=now - datetime.timedelta(days=10))
    ServiceRequest.objects.filter(pk=world["b"]["service_request"].pk).update(
        created_at=now - datetime.timedelta(hours=2)
    )
    board = dashboard(on=TODAY)
    assert (board.requests["0-2"], board.requests["8-30"], board.requests["3-7"]) == (1, 1, 0)
    assert board.requests["breaches"] == 1  # ten days without an answer; the two-hour-old one is in time


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_portfolio(client, manager_user):
    def queries() -> int:
        figures_freeze(on=TODAY, months=3)
        client.force_login(manager_user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:dashboard")).status_code == 200
        return len(captured)

    small = queries()
    for n in range(3):
        building = BuildingFactory(code=f"X{n}")
        floor = FloorFactory(building=building)
        for k in range(5):
            unit = UnitFactory(floor=floor, building=building, code=f"X{n}{k}", leasable_area=Decimal("50"))
            signed(
                f"X-{n}-{k}", [unit], D(2026, 1, 1), D(2027, 12, 31), rent_rate=Decimal("90"), rent_basis="per_month"
            )
    assert queries() == small


def test_the_page_is_for_staff_and_links_each_figure_to_its_list(client, manager_user, tower):
    assert client.get(reverse("reports:dashboard"))["Location"].startswith("/admin/login/")
    figures_freeze(on=TODAY, months=1)
    client.force_login(manager_user)
    page = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="kpi-occupancy">50.0 %' in page and "驾驶舱" in page
    assert "/admin/spaces/unit/?status=leased" in page and "/admin/billing/bill/?status=overdue" in page
    assert 'id="dashboard-data"' in page and "echarts.min.js" in page


def test_the_command_freezes_the_figures_as_the_nightly_job_does(tower):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("figures_freeze", "--months", "1", stdout=out)
    assert out.getvalue().strip() == "2 months computed"
    assert portfolio(D(2026, 10, 1))["occupancy_by_area"] == "50.0"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_occupancy_by_use_counts_each_use_its_own_way(tower):
    from apartments.models import BedAllocation
    from events.models import Booking
    from tests.apartments.test_apartments import VALID_ID
    from tests.factories import ApartmentRoomFactory, BedFactory, HallFactory, TenantCompanyFactory

    floor = tower.floors.order_by("sort_order").first()
    shop = UnitFactory(floor=floor, building=tower, code="1S", use="retail", leasable_area=Decimal("50"))
    signed("S", [shop], D(2026, 11, 1), D(2027, 10, 31), rent_rate=Decimal("150"), rent_basis="per_month")
    room = ApartmentRoomFactory(unit=UnitFactory(floor=floor, building=tower, code="1A", use="apartment"))
    bed, _spare = BedFactory(room=room, label="A"), BedFactory(room=room, label="B")
    BedAllocation.objects.create(
        bed=bed,
        company=TenantCompanyFactory(),
        name="张三",
        id_number=VALID_ID,
        phone="13800000000",
        check_in=D(2026, 11, 1),
        planned_check_out=D(2027, 1, 1),
        occupied_until=D(2027, 1, 1),
        monthly_rent=Decimal("900"),
    )
    hall = HallFactory(unit=UnitFactory(floor=floor, building=tower, code="1H", use="hall"))  # open 08:00–22:00
    start, end = at(D(2026, 11, 10), 9), at(D(2026, 11, 10), 17)
    Booking.objects.create(
        hall=hall,
        organiser="operator",
        title="发布会",
        attendees=100,
        price=Decimal("0"),
        status=Booking.Status.APPROVED,
        starts_at=start,
        ends_at=end,
        blocked_from=start,
        blocked_until=end,
    )
    figures_freeze(on=TODAY, months=0)
    # Offices 200 of 400 m²; the shop all of its 50 m²; one bed of two; halls 8 h booked of 24 days
    # × 14 h open = 336 h in November so far: 2.4 %. Overall only offices and shops count: 250 / 450.
    by_use = {"office": "50.0", "retail": "100.0", "apartment": "50.0", "hall": "2.4"}
    assert portfolio(D(2026, 11, 1))["by_use"] == by_use
    assert MonthlyFigures.objects.get(month=D(2026, 11, 1), building=tower).figures["by_use"] == by_use
    assert portfolio(D(2026, 11, 1))["occupancy_by_area"] == "55.6"
    assert dashboard(on=TODAY, use="retail").occupancy == {"by_area": "100.0", "by_count": "100.0"}
    shops = dashboard(on=TODAY, use="retail").charts()["occupancy"]
    assert [name for name, _values in shops] == ["area", "count"] and shops[0][1][-1] == "100.0"
    # B (100 m², 31 December 2027) and the shop (50 m², 31 October 2027) end in the same quarter
    assert ["2027 Q4", 2, "150.00"] in portfolio(D(2026, 11, 1))["expiries"]


def test_the_cluster_filter_shows_its_let_area_and_its_companies_arrears(tower):
    from tests.factories import IndustryClusterFactory

    music = IndustryClusterFactory(code="music")
    bills_issue_due(on=D(2026, 11, 1))
    a_company = Bill.objects.filter(lease__number="A").first().company
    a_company.primary_cluster = music
    a_company.save()
    figures_freeze(on=TODAY, months=0)
    board = dashboard(on=TODAY, cluster=music)
    owed_by_a = sum(
        (b.amount_due - b.amount_paid for b in Bill.objects.filter(company=a_company, due_on__lt=TODAY)),
        Decimal("0"),
    )
    assert Decimal(board.arrears["total"]) == owed_by_a < Decimal(dashboard(on=TODAY).arrears["total"])
    assert board.cluster_area == "100.00" and board.charts()["cluster_area"][-1] == "100.00"


def test_the_pipeline_counts_value_quoted_and_conversion_between_stages():
    from leases.models import Prospect
    from leases.selectors import pipeline_by_stage
    from leases.services import prospect_save
    from tests.factories import TenantCompanyFactory

    def deal(stage, area, rent, basis):
        prospect_save(
            prospect=Prospect(
                company=TenantCompanyFactory(status="prospect"),
                stage=stage,
                lost_reason="选了别的园区" if stage == "lost" else "",
                area_wanted=Decimal(area),
                quoted_rent=Decimal(rent),
                quoted_rent_basis=basis,
            )
        )

    deal("lead", "300", "5", "per_day"), deal("lead", "200", "5", "per_day")
    deal("proposal", "450.50", "100", "per_month"), deal("signed", "100", "4", "per_day")
    deal("lost", "999", "1", "per_month")
    stages = {stage.stage: stage for stage in pipeline_by_stage()}
    # 500 m² × 5 a day × 365/12 = 76,041.67; 450.50 × 100 = 45,050.00; 100 × 4 × 365/12 = 12,166.67
    assert [stages[s].value for s in ("lead", "proposal", "signed")] == [
        Decimal("76041.67"),
        Decimal("45050.00"),
        Decimal("12166.67"),
    ]
    # Reached: 4 deals got to "lead" or beyond (the lost one left), 2 to a visit and a proposal, 1 further
    assert [stages[s].reached for s in ("lead", "site_visit", "proposal", "negotiating", "signed")] == [4, 2, 2, 1, 1]
    assert [stages[s].conversion for s in ("site_visit", "proposal", "negotiating", "signed")] == [
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("100.0"),
    ]
    assert stages["lead"].conversion is None


def test_a_missing_or_stale_current_month_is_handed_to_a_worker_not_computed_in_the_view(tower, monkeypatch):
    from django.core.cache import cache

    from reports import dashboard as module

    queued = []
    monkeypatch.setattr(module, "job_queue", queued.append)
    cache.delete(module.REFRESH_QUEUED)
    assert dashboard(on=TODAY).latest == {} and queued == ["reports.figures_refresh_current"]
    assert dashboard(on=TODAY).latest == {} and len(queued) == 1  # asked once, not on every view
    assert not MonthlyFigures.objects.exists()  # the view itself computed nothing
    from reports.tasks import figures_refresh_current

    figures_refresh_current()  # what the worker runs
    assert dashboard(on=TODAY).latest["occupancy_by_area"] == "50.0" and len(queued) == 1
    row = MonthlyFigures.objects.get(month=D(2026, 11, 1), building=None)
    assert row.final is False
    MonthlyFigures.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=2))
    cache.delete(module.REFRESH_QUEUED)
    dashboard(on=TODAY)
    assert len(queued) == 2  # stale after an hour: asked again
