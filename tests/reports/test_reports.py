import datetime
import os
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from leases.selectors import rent_roll
from reports import services
from reports.figures import cluster_figures
from reports.models import ReportRun
from reports.services import period_parse, report_render, report_request
from tenants.models import CompanyYearFigure, TenantMembership
from tests.conftest import requires_postgres, requires_redis, wait_for
from tests.factories import (
    IndustryClusterFactory,
    ReportRunFactory,
    TenantCompanyFactory,
)

from .helpers import signed

D = datetime.date


def pdf_text(run: ReportRun) -> str:
    result = subprocess.run(["pdftotext", "-layout", run.file.path, "-"], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.django_db
def test_period_parsing_accepts_months_and_quarters_only():
    assert period_parse("2026-10") == ("month", D(2026, 10, 1))
    assert period_parse(" 2026-Q3 ") == ("quarter", D(2026, 7, 1))
    for bad in ("2026-13", "2026-Q5", "10/2026", ""):
        with pytest.raises(Exception, match="YYYY-MM"):
            period_parse(bad)


@pytest.mark.django_db
def test_occupancy_pdf_figures_equal_the_rent_roll_for_the_same_day(tower):
    run = report_request(
        kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower, language="en"
    )
    run = report_render(run_id=run.pk)
    assert run.status == ReportRun.Status.DONE and run.size == os.path.getsize(run.file.path)
    roll = rent_roll(building=tower, on=D(2026, 10, 31))
    text = pdf_text(run)
    assert roll.occupancy_by_area == Decimal("50.0") and roll.wale_by_area is not None
    for figure in (
        f"{roll.total_area:,.2f}",
        f"{roll.leased_area:,.2f}",
        f"{roll.occupancy_by_area} %",
        f"{roll.occupancy_by_count} %",
        str(roll.wale_by_area),
        str(roll.wale_by_income),
    ):
        assert figure in text, figure
    assert "400.00" in text and "200.00" in text
    assert "Net absorption" in text and "100.00" in text  # U2 let since the end of September
    assert "Vacant units" in text and "201" in text and "202" in text
    assert not [name for name in os.listdir(os.path.dirname(run.file.path)) if name.endswith(".part")]


@pytest.mark.django_db
def test_cluster_pdf_figures_equal_the_cluster_queries(tower):
    music, ai = IndustryClusterFactory(code="music", name_en="Digital music"), IndustryClusterFactory(code="ai")
    kugou = TenantCompanyFactory(
        name="广州酷狗计算机科技有限公司",
        short_name="酷狗音乐",
        primary_cluster=music,
        headcount=300,
        stock_exchange="HKEX",
        ticker="1698",
    )
    bot = TenantCompanyFactory(primary_cluster=ai, headcount=50, is_incubated_in_park=True)
    for company, y2024, y2025 in ((kugou, "1000000.00", "1250000.00"), (bot, "200000.00", "300000.00")):
        CompanyYearFigure.objects.create(company=company, year=2024, output_value=Decimal(y2024))
        CompanyYearFigure.objects.create(company=company, year=2025, output_value=Decimal(y2025))
    free = [u for u in tower.units.order_by("code") if not u.lease_units.exists()]
    signed("K", free[:1], D(2026, 7, 1), D(2028, 6, 30), tenant=kugou, rent_rate=Decimal("5"))
    signed("R", free[1:2], D(2026, 1, 1), D(2026, 8, 31), tenant=bot, rent_rate=Decimal("5"))
    run = report_render(
        run_id=report_request(
            kind="clusters", period_type="quarter", period_start=D(2026, 7, 1), building=tower, language="en"
        ).pk
    )
    text = pdf_text(run)
    figures = cluster_figures(buildings=[tower], period_start=D(2026, 7, 1), period_end=D(2026, 9, 30))
    music = next(row for row in figures.rows if row.cluster == music)
    # 酷狗音乐 alone: 1 company, 100 of the 200 m² let on 2026-09-30 (A and K; B starts in October, R ended
    # in August), 300 people, 1,250,000 output in 2025, up 25.0 % on 2024, listed.
    assert (music.companies, music.let_area, music.share, music.headcount) == (
        1,
        Decimal("100.00"),
        Decimal("50.0"),
        300,
    )
    assert (music.output_value, music.growth, music.listed) == (Decimal("1250000.00"), Decimal("25.0"), 1)
    table = text.split("industry cluster")[1]
    music_line = next(line for line in table.splitlines() if line.strip().startswith("Digital music")).split()
    assert music_line[2:] == ["1", "100.00", "50.0", "%", "300", "1,250,000", "25.0", "%", "1", "0"]
    assert f"{figures.total.let_area:,.2f}" == "200.00" and "200.00" in text
    assert "广州酷狗计算机科技有限公司" in text  # moved in during the quarter
    move_outs = text.split("Move-outs in the period")[1].split("Partner agreements")[0]
    assert "R " in move_outs or " R" in move_outs


@pytest.mark.django_db
def test_a_failing_render_ends_failed_with_its_error_and_no_file(tower, monkeypatch):
    def broken(run):
        raise ValueError("template exploded")

    monkeypatch.setattr(services, "render_run", broken)
    run = report_request(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower)
    with pytest.raises(ValueError):
        report_render(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "ValueError: template exploded" in run.error
    assert not run.file and run.finished_at is not None


@pytest.mark.django_db
def test_transient_failures_are_retried_and_a_done_run_is_never_rendered_again(tower, monkeypatch):
    calls = []
    real = services.render_run

    def flaky(run):
        calls.append(run.attempts)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(run)

    monkeypatch.setattr(services, "render_run", flaky)
    run = ReportRunFactory(building=tower)
    with pytest.raises(services.TransientReportError):
        report_render(run_id=run.pk)
    assert ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.FAILED
    done = report_render(run_id=run.pk)
    assert done.status == ReportRun.Status.DONE and done.attempts == 2
    again = report_render(run_id=run.pk)
    assert (again.file.name, again.sha256) == (done.file.name, done.sha256) and calls == [1, 2]


@pytest.mark.django_db
def test_a_scheduled_run_covers_the_past_month_and_mails_the_managers(
    tower, django_user_model, django_capture_on_commit_callbacks
):
    from parkops.roles import MANAGERS, roles_ensure

    manager = django_user_model.objects.create_user("manager", email="manager@parkops.example", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.reports_request_monthly_occupancy(on=D(2026, 11, 1))
    run.refresh_from_db()
    assert (run.period_start, run.status, run.building) == (D(2026, 10, 1), "done", None)
    assert mail.outbox[-1].to == ["manager@parkops.example"] and f"/reports/{run.pk}/" in mail.outbox[-1].body
    assert services.reports_request_quarterly_clusters(on=D(2026, 10, 1)).period_start == D(2026, 7, 1)


@pytest.mark.django_db
def test_reports_page_requests_watches_and_downloads_a_run(
    client, django_user_model, tower, django_capture_on_commit_callbacks
):
    from parkops.roles import MANAGERS, roles_ensure

    manager = django_user_model.objects.create_user("manager", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    client.force_login(manager)
    bad = client.post(reverse("reports:list"), {"kind": "occupancy", "period": "2026-13", "language": "en"})
    assert "Give the period as YYYY-MM" in bad.content.decode() and ReportRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:list"), {"kind": "occupancy", "period": "2026-10", "building": tower.pk, "language": "en"}
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:run", args=[run.pk])
    detail = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert "Done" in detail or "done" in detail
    download = client.get(reverse("reports:download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get(reverse("reports:list") + "?status=done").content.decode()
    assert f'data-run="{run.pk}"' in listing
    assert f'data-run="{run.pk}"' not in client.get(reverse("reports:list") + "?status=failed").content.decode()


@pytest.mark.django_db
def test_tenant_users_and_staff_without_the_permission_never_reach_reports(client, django_user_model):
    tenant_user = django_user_model.objects.create_user("kugou")
    TenantMembership.objects.create(user=tenant_user, company=TenantCompanyFactory())
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    assert client.get(reverse("reports:list")).status_code == 302  # to the login page
    for user in (tenant_user, clerk):
        client.force_login(user)
        assert client.get(reverse("reports:list")).status_code == 403


@pytest.mark.django_db
def test_generate_report_renders_synchronously_to_a_file(tower, tmp_path):
    output = tmp_path / "occupancy.pdf"
    out = StringIO()
    call_command(
        "generate_report", "occupancy", "--period", "2026-10", "--building", "T", "--output", str(output), stdout=out
    )
    assert output.read_bytes().startswith(b"%PDF") and "done" in out.getvalue()
    fonts = subprocess.run(["pdffonts", str(output)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC-Bold" in fonts


@requires_postgres
@requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_run_through_a_real_worker_and_redis_ends_done_with_a_file(tower, celery_worker_queue):
    from reports.tasks import report_render as task

    run = ReportRunFactory(building=tower)
    task.apply_async(args=[run.pk], queue=celery_worker_queue)  # the run row is the result: none is stored
    run = wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status="done").first(),
        timeout=120,
        what="the worker to render the run",
    )
    assert run.file and os.path.exists(run.file.path)
