"""Reports that can be trusted and reproduced: each run keeps the snapshot of its figures (hash and
code version), a regenerated run prints the same figures whatever changed since, each PDF comes
with an XLSX of its tables, and the monthly board pack (月度经营报告)."""

import datetime
import hashlib
import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import Bill
from billing.services import bills_issue_due, payment_record
from reports import services
from reports.dashboard import figures_freeze
from reports.models import MonthlyFigures, ReportRun
from reports.services import report_regenerate, report_render, report_request
from reports.snapshots import snapshot_hash
from tests.factories import TenantCompanyFactory, UnitFactory

from .helpers import signed

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_text(run: ReportRun) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", run.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def workbook(run: ReportRun):
    with run.xlsx.open("rb") as file:
        return openpyxl.load_workbook(io.BytesIO(file.read()))


def rendered(**request) -> ReportRun:
    return report_render(run_id=report_request(**request).pk)


def figures(run: ReportRun) -> dict:
    return {figure["key"]: figure["value"] for figure in run.snapshot["figures"]}


def test_a_run_keeps_its_snapshot_with_hash_and_code_version_and_an_xlsx_of_its_tables(tower):
    run = rendered(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower, language="en")
    assert run.snapshot_sha256 == snapshot_hash(run.snapshot) and len(run.snapshot_sha256) == 64
    assert run.code_version and run.snapshot["code_version"] == run.code_version
    # 400 m² leasable, U1 and (from 15 October) U2 let: 200 m², 50.0 %; U2's 100 m² absorbed in October
    assert {
        key: figures(run)[key] for key in ("leasable_area", "leased_area", "occupancy_by_area", "net_absorption")
    } == {
        "leasable_area": "400.00",
        "leased_area": "200.00",
        "occupancy_by_area": "50.0",
        "net_absorption": "100.00",
    }
    book = workbook(run)
    assert book.sheetnames == ["Summary", "Hall utilisation", "Expiry profile", "Vacant units"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Leasable area"] == Decimal("400.00") and summary["Occupancy by area"] == Decimal("50.0")
    assert summary["Snapshot SHA-256"] == run.snapshot_sha256
    vacant = list(book["Vacant units"].iter_rows(values_only=True))
    assert vacant[0] == ("floor", "unit", "use", "status", "m²")
    assert sorted(row[1] for row in vacant[1:]) == ["201", "202"] and vacant[1][4] == Decimal("100.00")


def test_a_regenerated_report_prints_the_original_figures_whatever_changed_since(tower):
    original = rendered(
        kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower, language="en"
    )
    # Later, a lease of 201 is entered backdated to 1 October: today's data for October changes.
    unit = tower.units.get(code="201")
    signed("LATE", [unit], D(2026, 10, 1), D(2027, 9, 30), rent_rate=Decimal("90"), rent_basis="per_month")
    fresh = rendered(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower, language="en")
    assert figures(fresh)["leased_area"] == "300.00"

    copy = report_render(run_id=report_regenerate(run=original).pk)
    assert copy.status == "done" and copy.regenerated_from == original
    assert copy.snapshot == original.snapshot and copy.snapshot_sha256 == original.snapshot_sha256
    assert figures(copy)["leased_area"] == "200.00"
    original_text, copy_text = pdf_text(original), pdf_text(copy)
    assert "Regenerated from the snapshot of run" in copy_text and "Regenerated" not in original_text

    def body(text):  # the pages after the cover, without the running foot (its generation time)
        return [line for line in text.split("Summary", 1)[1].splitlines() if "Generated" not in line]

    assert body(copy_text) == body(original_text)
    assert workbook(copy)["Vacant units"]["B2"].value == workbook(original)["Vacant units"]["B2"].value
    again = report_regenerate(run=copy)  # a copy of a copy still names the original
    assert again.regenerated_from == original


def test_a_snapshot_that_no_longer_matches_its_hash_is_refused(tower):
    run = rendered(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower)
    tampered = {**run.snapshot, "scope": "somewhere else"}
    ReportRun.objects.filter(pk=run.pk).update(snapshot=tampered)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="does not match its checksum"):
        report_regenerate(run=run)
    queued = report_request(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower)
    with pytest.raises(ValidationError, match="Only a finished report"):
        report_regenerate(run=queued)
    assert ReportRun.objects.count() == 2


def test_the_xlsx_keeps_text_that_looks_like_a_formula_as_text(tower):
    company = TenantCompanyFactory(name='=HYPERLINK("http://evil.example","点我")')
    unit = tower.units.get(code="201")
    signed("EVIL", [unit], D(2026, 10, 1), D(2027, 9, 30), tenant=company, rent_rate=Decimal("90"))
    run = rendered(kind="clusters", period_type="quarter", period_start=D(2026, 10, 1), building=tower, language="en")
    cells = [cell for row in workbook(run)["Move-ins in the period"].iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells


@pytest.fixture
def october_books(tower):
    """The tower's bills issued through October; 5,000 of A's October rent paid on the 20th."""
    bills_issue_due(on=D(2026, 10, 31))
    october_a = Bill.objects.get(lease__number="A", due_on=D(2026, 10, 5))
    payment_record(
        company=october_a.company,
        amount=Decimal("5000.00"),
        received_on=D(2026, 10, 20),
        method="bank_transfer",
        reference="BOARD-1",
        bill=october_a,
    )
    return tower


def test_the_board_pack_combines_the_months_figures_movements_and_largest_arrears(october_books):
    run = rendered(kind="board", period_type="month", period_start=D(2026, 10, 1), language="en")
    f = figures(run)
    # Rent: A 100 m² × 100 a month; B 100 m² × 4 a day × 365/12 = 12,166.67. Due in October: A's
    # 10,000 and B's first part-month, 12,166.67 × 17/31 = 6,672.04; 5,000 of it paid: 30.0 %.
    assert (f["occupancy_by_area"], f["monthly_rent"], f["average_rent"]) == ("50.0", "22166.67", "110.83")
    assert (f["billed"], f["collected"], f["collection_rate"]) == ("16672.04", "5000.00", "30.0")
    # Owed on 31 October on bills past due: A nine months of 10,000 and 5,000 of October; B 6,672.04.
    assert f["arrears"] == "101672.04" and (f["new_leases"], f["expiries"], f["net_absorption"]) == (1, 0, "100.00")
    book = workbook(run)
    # the workbook holds numbers (read back as floats), not text
    ages = list(book["Arrears by age"].iter_rows(values_only=True))[1]
    # October's 5,000 and B's 6,672.04 are 1–30 days late, September 31–60, August 61–90, the rest over 90
    assert ages == (
        11672.04,
        10000.0,
        10000.0,
        70000.0,
        101672.04,
    )
    largest = list(book["Largest arrears"].iter_rows(values_only=True))[1:]
    assert [row[-1] for row in largest] == [95000.0, 6672.04]
    new_leases = list(book["New leases"].iter_rows(values_only=True))[1:]
    assert [(row[1], row[2], row[4]) for row in new_leases] == [("B", datetime.datetime(2026, 10, 15), 100.0)]
    text = pdf_text(run)
    assert "Monthly business report" in text and "101,672.04" in text and "The last twelve months" in text


def test_the_board_pack_uses_the_dashboards_frozen_figures_of_the_month(october_books):
    figures_freeze(on=D(2026, 11, 24), months=2)
    frozen = MonthlyFigures.objects.get(month=D(2026, 10, 1), building=None).figures
    run = rendered(kind="board", period_type="month", period_start=D(2026, 10, 1), language="zh-hans")
    f = figures(run)
    for key in ("occupancy_by_area", "monthly_rent", "billed", "collected", "collection_rate", "beds", "waiting"):
        assert f[key] == frozen[key], key
    assert f["arrears"] == frozen["arrears"]["total"]
    trend = next(
        section for section in run.snapshot["sections"] if section["chart"] and section["chart"]["type"] == "trend"
    )
    assert trend["table"]["rows"][-1][0] == "2026-10" and trend["table"]["rows"][-1][1] == "50.0"
    assert trend["table"]["rows"][-2][1] == "25.0"  # September, frozen by the same job
    assert "月度经营报告" in pdf_text(run)


def test_the_board_pack_covers_one_month_of_the_whole_portfolio(tower):
    with pytest.raises(ValidationError, match="one month of the whole portfolio"):
        report_request(kind="board", period_type="month", period_start=D(2026, 10, 1), building=tower)
    with pytest.raises(ValidationError, match="one month of the whole portfolio"):
        report_request(kind="board", period_type="quarter", period_start=D(2026, 7, 1))


def test_the_board_pack_is_scheduled_monthly_and_mailed_to_managers(
    tower,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    from parkops.roles import MANAGERS, roles_ensure

    manager = django_user_model.objects.create_user("director", email="director@parkops.example", is_staff=True)
    manager.groups.add(roles_ensure()[MANAGERS])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.reports_request_monthly_board(on=D(2026, 11, 1))
    run.refresh_from_db()
    assert (run.kind, run.period_start, run.status) == ("board", D(2026, 10, 1), "done")
    email = mail.outbox[-1]
    assert email.to == ["director@parkops.example"] and f"/reports/{run.pk}/" in email.body
    ((name, content, mimetype),) = email.attachments  # the board pack itself travels with the email
    assert name.endswith(".pdf") and mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == run.sha256


def test_the_run_page_offers_the_three_files_and_regenerates(
    client, manager_user, tower, django_capture_on_commit_callbacks
):
    run = rendered(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower, language="en")
    client.force_login(manager_user)
    page = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert run.snapshot_sha256 in page and reverse("reports:download_as", args=[run.pk, "xlsx"]) in page
    xlsx = client.get(reverse("reports:download_as", args=[run.pk, "xlsx"]))
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    snapshot = client.get(reverse("reports:download_as", args=[run.pk, "json"])).json()
    assert snapshot_hash(snapshot) == run.snapshot_sha256
    assert client.get(reverse("reports:download_as", args=[run.pk, "exe"])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:regenerate", args=[run.pk]))
    copy = ReportRun.objects.get(regenerated_from=run)
    assert response["Location"] == reverse("reports:run", args=[copy.pk])
    copy.refresh_from_db()
    assert copy.status == "done" and copy.snapshot_sha256 == run.snapshot_sha256
    assert "Regenerated from the snapshot of run" in client.get(reverse("reports:run", args=[copy.pk])).content.decode()


def test_the_api_serves_the_xlsx_the_snapshot_and_regenerates(
    api, manager_user, tower, django_capture_on_commit_callbacks
):
    run = rendered(kind="occupancy", period_type="month", period_start=D(2026, 10, 1), building=tower)
    api.force_authenticate(manager_user)
    detail = api.get(f"/api/v1/report-runs/{run.pk}/").json()
    assert detail["snapshot_sha256"] == run.snapshot_sha256 and detail["xlsx_url"].endswith("/xlsx/")
    assert api.get(detail["xlsx_url"])["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api.get(detail["snapshot_url"]).json()["sha256"] == run.snapshot_sha256
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/report-runs/{run.pk}/regenerate/")
    assert answer.status_code == 202 and answer.json()["regenerated_from"] == run.pk


def test_a_unit_added_later_does_not_move_a_regenerated_board_pack(october_books):
    run = rendered(kind="board", period_type="month", period_start=D(2026, 10, 1))
    UnitFactory(floor=october_books.floors.first(), building=october_books, code="109", leasable_area=Decimal("100"))
    copy = report_render(run_id=report_regenerate(run=run).pk)
    assert figures(copy)["leasable_area"] == "400.00" == figures(run)["leasable_area"]
