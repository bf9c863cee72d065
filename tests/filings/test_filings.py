"""Park statistics: opening a period, filing in the portal with its checks, the lock, review,
reminders, completion, the export's columns and totals, and isolation between companies."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.exports import period_workbook
from filings.models import Filing, FilingValue, ReportingPeriod
from filings.selectors import period_completion
from filings.services import filing_accept, filing_exempt, filing_return, filing_save, filings_remind, period_open
from notifications.models import Notification
from tenants.models import TenantCompany, TenantMembership
from tests.factories import IndustryClusterFactory, TenantCompanyFactory, pdf_bytes

from .conftest import accepted, quarter

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = D(2026, 7, 1)
DEADLINE = D(2026, 11, 30)  # the suite's clock stands at 24 November 2026


def test_opening_a_period_gives_every_tenant_company_a_filing(world, indicators):
    empty = ReportingPeriod.objects.create(kind="quarter", starts_on=D(2026, 4, 1), deadline=D(2026, 7, 31))
    with pytest.raises(ValidationError, match="Choose the indicators"):
        period_open(period=empty)
    period = quarter(Q3, DEADLINE, indicators)
    tenants = TenantCompany.objects.filter(status="tenant").count()
    assert period_open(period=period) == tenants and Filing.objects.filter(period=period).count() == tenants
    assert period_open(period=period) == 0  # idempotent
    TenantCompanyFactory(status="prospect")
    TenantCompanyFactory()  # a new tenant gets its filing when the period is opened again
    assert period_open(period=period) == 1
    period.refresh_from_db()
    assert period.status == "open" and period.opened_at is not None


def post(client, filing, **fields):
    return client.post(reverse("portal:filing", args=[filing.pk]), fields)


def test_a_company_files_in_the_portal_is_returned_then_accepted(client, world, indicators, operations_user):
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    company, user = world["a"]["company"], world["a"]["user"]
    filing = Filing.objects.get(period=period, company=company)
    revenue, tax, employees = (indicators[code].pk for code in ("revenue", "tax", "employees"))
    client.force_login(user)
    listing = client.get(reverse("portal:filings")).content.decode()
    assert f'data-filing="{filing.pk}"' in listing and "2026-Q3" in listing

    draft = post(client, filing, **{f"value-{revenue}": "1,250.50", "save": "1"})
    assert draft.status_code == 302
    assert FilingValue.objects.get(filing=filing, indicator_id=revenue).value == Decimal("1250.50")
    missing = post(client, filing, **{f"value-{revenue}": "1250.50", "submit": "1"})
    assert missing.status_code == 200 and "Required." in missing.content.decode()
    filing.refresh_from_db()
    assert filing.status == "draft"

    submitted = post(
        client,
        filing,
        **{f"value-{revenue}": "1250.50", f"value-{tax}": "80", f"value-{employees}": "35", "submit": "1"},
    )
    assert submitted.status_code == 302
    filing.refresh_from_db()
    assert (filing.status, filing.submitted_on, filing.submitted_by) == ("submitted", D(2026, 11, 24), user)
    locked = post(client, filing, **{f"value-{tax}": "1", "save": "1"})
    assert "can no longer be changed" in locked.content.decode()
    assert FilingValue.objects.get(filing=filing, indicator_id=tax).value == Decimal("80.00")

    client.force_login(operations_user)
    review = reverse("admin:filings_filing_review", args=[filing.pk])
    refused = client.post(review, {"decision": "return", "comment": ""})
    assert "Say what to correct" in refused.content.decode()
    client.post(review, {"decision": "return", "comment": "纳税额请附完税证明"})
    filing.refresh_from_db()
    assert filing.status == "returned" and filing.review_comment == "纳税额请附完税证明"
    told = Notification.objects.get(recipient=user, event="filing_reviewed")
    assert "纳税额请附完税证明" in told.body

    client.force_login(user)
    page = client.get(reverse("portal:filing", args=[filing.pk])).content.decode()
    assert "纳税额请附完税证明" in page
    post(
        client,
        filing,
        **{f"value-{revenue}": "1250.50", f"value-{tax}": "82", f"value-{employees}": "35", "submit": "1"},
    )
    filing.refresh_from_db()
    assert filing.status == "submitted"
    filing_accept(filing=filing, user=operations_user)
    filing.refresh_from_db()
    assert filing.status == "accepted" and filing.reviewed_by == operations_user


def test_figures_are_checked_for_units_and_large_moves_need_an_explanation(world, indicators):
    company, user = world["a"]["company"], world["a"]["user"]
    accepted(quarter(D(2026, 4, 1), D(2026, 7, 31), indicators), company, revenue="100", tax="10", employees="30")
    accepted(quarter(D(2025, 7, 1), D(2025, 10, 31), indicators), company, revenue="80", tax="10", employees="28")
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    filing = Filing.objects.get(period=period, company=company)
    revenue, tax, employees = indicators["revenue"], indicators["tax"], indicators["employees"]

    def save(**entries):
        filing_save(filing=filing, entries={indicators[k].pk: v for k, v in entries.items()}, user=user)

    for bad, message in (
        ("12.5", "人 with at most 0 decimal places."),
        ("-3", "zero or more"),
        ("三十", "Enter a number."),
    ):
        with pytest.raises(ValidationError) as refused:
            save(employees=(bad, ""))
        assert message in str(refused.value.message_dict[f"value-{employees.pk}"])
    # Revenue doubles on the previous quarter (100 → 200): beyond 50 %, it needs a word of why.
    with pytest.raises(ValidationError) as refused:
        save(revenue=("200", ""), tax=("11", ""))
    assert list(refused.value.message_dict) == [f"explanation-{revenue.pk}"]  # tax moved 10 %: fine
    assert not FilingValue.objects.filter(filing=filing).exists()  # nothing saved with an error
    save(revenue=("200", "新签两个大客户"), tax=("11", ""))
    assert FilingValue.objects.get(filing=filing, indicator=revenue).explanation == "新签两个大客户"
    # Against the same quarter a year before (80) a move from 100 is 25 %: no explanation needed.
    save(revenue=("100", ""), tax=("11", ""))
    assert FilingValue.objects.get(filing=filing, indicator=tax).value == Decimal("11.00")


def test_the_portal_shows_last_period_and_last_year_beside_each_figure(client, world, indicators):
    company = world["a"]["company"]
    accepted(quarter(D(2026, 4, 1), D(2026, 7, 31), indicators), company, revenue="123.45", tax="10", employees="30")
    accepted(quarter(D(2025, 7, 1), D(2025, 10, 31), indicators), company, revenue="98.76", tax="9", employees="28")
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    client.force_login(world["a"]["user"])
    page = client.get(reverse("portal:filing", args=[Filing.objects.get(period=period, company=company).pk]))
    text = page.content.decode()
    assert "123.45" in text and "98.76" in text and "Revenue（万元）" in text


def test_reminders_go_before_the_deadline_and_to_late_filers_once_a_day(world, indicators):
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    b = Filing.objects.get(period=period, company=world["b"]["company"])
    filing_save(
        filing=b,
        entries={indicators[c].pk: (v, "") for c, v in (("revenue", "1"), ("tax", "1"), ("employees", "1"))},
        user=world["b"]["user"],
        submit=True,
    )
    outstanding = Filing.objects.filter(period=period).exclude(pk=b.pk).count()
    assert filings_remind(on=D(2026, 11, 23)) == outstanding  # a week before
    assert filings_remind(on=D(2026, 11, 23)) == 0  # the job ran twice: nobody hears twice
    assert filings_remind(on=D(2026, 11, 24)) == 0  # six days before: no reminder
    assert Notification.objects.filter(recipient=world["a"]["user"], event="filing_due").count() == 1
    assert not Notification.objects.filter(recipient=world["b"]["user"], event__in=["filing_due", "filing_late"])
    assert filings_remind(on=D(2026, 12, 1)) == outstanding  # the day after the deadline
    assert filings_remind(on=D(2026, 12, 2)) == 0
    assert filings_remind(on=D(2026, 12, 8)) == outstanding  # and weekly after that
    late = Notification.objects.filter(recipient=world["a"]["user"], event="filing_late")
    assert late.count() == 2 and "2026-11-30" in late.first().body


def test_completion_counts_each_state_per_cluster(world, indicators, operations_user):
    music, games = IndustryClusterFactory(code="music"), IndustryClusterFactory(code="games")
    companies = [TenantCompanyFactory(primary_cluster=music) for _ in range(3)] + [
        TenantCompanyFactory(primary_cluster=games)
    ]
    TenantCompany.objects.exclude(pk__in=[c.pk for c in companies]).update(status="former")
    period = quarter(Q3, D(2026, 10, 31), indicators, required=())
    period_open(period=period)
    on_time, late, returned, exempt = (Filing.objects.get(period=period, company=c) for c in companies)
    Filing.objects.filter(pk=on_time.pk).update(
        status="submitted", submitted_at="2026-10-30T10:00+08:00", submitted_on=D(2026, 10, 30)
    )
    filing_save(filing=late, entries={}, user=None, submit=True)  # today, 24 November: late
    filing_save(filing=returned, entries={}, user=None, submit=True)
    filing_return(filing=returned, user=operations_user, comment="请补充")
    filing_exempt(filing=exempt, reason="本季度新入驻")
    completion = period_completion(period=period, on=D(2026, 11, 24))
    assert (completion.overall.total, completion.overall.filed, completion.overall.returned) == (4, 2, 1)
    assert (completion.overall.late, completion.overall.exempt, completion.overall.rate) == (2, 1, Decimal("66.7"))
    by_cluster = {row.label: row for row in completion.clusters}
    assert (by_cluster[music.name].total, by_cluster[music.name].late) == (3, 2)
    assert by_cluster[games.name].exempt == 1 and by_cluster[games.name].rate is None


def test_the_export_has_one_row_per_company_with_cluster_subtotals_and_a_total(world, indicators):
    music, games = (
        IndustryClusterFactory(code="music", name_zh="数字音乐", order=1),
        IndustryClusterFactory(code="games", name_zh="游戏电竞", order=2),
    )
    TenantCompany.objects.update(status="former")
    kugou = TenantCompanyFactory(name="广州酷狗计算机科技有限公司", primary_cluster=music)
    other = TenantCompanyFactory(name='=HYPERLINK("x")音乐公司', primary_cluster=music)
    game = TenantCompanyFactory(name="广州游戏公司", primary_cluster=games)
    period = quarter(Q3, DEADLINE, indicators)
    accepted(period, kugou, revenue="1200.50", tax="80", employees="300")
    accepted(period, other, revenue="99.50", tax="20", employees="12")
    sheet = openpyxl.load_workbook(io.BytesIO(period_workbook(period=period))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "unified social credit code",
        "company",
        "industry cluster",
        "status",
        "营业收入（万元）",
        "纳税额（万元）",
        "从业人员（人）",
    )
    # companies by cluster, then by name ("=" sorts before "广")
    assert rows[1][1] == '\'=HYPERLINK("x")音乐公司'  # a formula kept as text
    assert rows[2][:4] == (kugou.credit_code, kugou.name, music.name, "accepted") and rows[2][4:] == (1200.5, 80, 300)
    assert rows[3][1] == f"Subtotal: {music.name}" and rows[3][4:] == (1300, 100, 312)
    assert rows[4][1] == game.name and rows[4][3] == "to be filed" and rows[4][4:] == (None, None, None)
    assert rows[5][1] == f"Subtotal: {games.name}" and rows[5][4:] == (0, 0, 0)
    assert rows[6][1] == "Total" and rows[6][4:] == (1300, 100, 312)


def test_a_company_never_sees_or_touches_another_companys_filing(client, world, indicators):
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    mine = Filing.objects.get(period=period, company=world["a"]["company"])
    theirs = Filing.objects.get(period=period, company=world["b"]["company"])
    client.force_login(world["a"]["user"])
    pdf = SimpleUploadedFile("完税证明.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("portal:filing", args=[mine.pk]), {"evidence": "1", "file": pdf, "description": "完税证明"})
    evidence = mine.evidence.get()
    assert client.get(evidence.file.url).status_code == 200
    listing = client.get(reverse("portal:filings")).content.decode()
    assert f'data-filing="{mine.pk}"' in listing and f'data-filing="{theirs.pk}"' not in listing
    assert client.get(reverse("portal:filing", args=[theirs.pk])).status_code == 404
    assert post(client, theirs, **{"save": "1"}).status_code == 404
    client.force_login(world["b"]["user"])
    assert client.get(evidence.file.url).status_code == 404


def test_a_member_without_the_role_reads_but_cannot_file(client, world, indicators, django_user_model):
    period = quarter(Q3, DEADLINE, indicators)
    period_open(period=period)
    filing = Filing.objects.get(period=period, company=world["a"]["company"])
    member = django_user_model.objects.create_user("clerk-a")
    membership = TenantMembership.objects.create(user=member, company=world["a"]["company"], role="member")
    client.force_login(member)
    page = client.get(reverse("portal:filing", args=[filing.pk])).content.decode()
    assert "Submit to the park" not in page
    assert post(client, filing, save="1").status_code == 403
    membership.files_statistics = True
    membership.save()
    assert post(client, filing, save="1").status_code == 302


def test_staff_see_completion_and_download_the_period_and_a_company_history(client, world, indicators, operations_user):
    period = quarter(Q3, DEADLINE, indicators)
    accepted(period, world["a"]["company"], revenue="10", tax="1", employees="3")
    client.force_login(operations_user)
    page = client.get(reverse("admin:filings_reportingperiod_completion", args=[period.pk])).content.decode()
    assert 'id="completion-rate"' in page
    export = client.get(reverse("admin:filings_reportingperiod_export", args=[period.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    history = client.get(reverse("admin:filings_filing_company_history", args=[world["a"]["company"].pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(history.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("period", "status", "employees", "revenue", "tax") and rows[2] == (
        "2026-Q3",
        "accepted",
        3,
        10,
        1,
    )


def test_accepted_figures_feed_the_cluster_report_the_dashboard_and_the_profile(client, world, indicators):
    from reports.dashboard import dashboard
    from reports.figures import cluster_figures
    from spaces.models import Building

    period = quarter(Q3, DEADLINE, indicators)
    a, b = world["a"]["company"], world["b"]["company"]
    accepted(period, a, revenue="120.50", tax="8", employees="30")
    pending = Filing.objects.get(period=period, company=b)
    filing_save(
        filing=pending,
        entries={indicators[c].pk: (v, "") for c, v in (("revenue", "999"), ("tax", "99"), ("employees", "9"))},
        user=world["b"]["user"],
        submit=True,
    )
    figures = cluster_figures(buildings=list(Building.objects.all()), period_start=Q3, period_end=D(2026, 9, 30))
    row_a = next(row for row in figures.rows if row.cluster == a.primary_cluster)
    assert (row_a.revenue, row_a.tax) == (Decimal("120.50"), Decimal("8.00"))
    assert (figures.total.revenue, figures.total.tax) == (Decimal("120.50"), Decimal("8.00"))  # b's not accepted yet
    october = cluster_figures(
        buildings=list(Building.objects.all()), period_start=D(2026, 10, 1), period_end=D(2026, 10, 31)
    )
    assert october.total.revenue == 0  # a month holds no whole quarter

    statistics = dashboard(on=D(2026, 11, 24)).statistics
    assert statistics.period == period and (statistics.overall.filed, statistics.overall.accepted) == (2, 1)

    client.force_login(world["a"]["user"])
    profile = client.get(reverse("portal:profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = profile.split('id="statistics-history"')[1].split("</table>")[0]
    assert "2026-Q3" in history and "120.50" in history and "999" not in history


def test_an_indicator_is_redefined_by_a_new_version_from_a_later_date(indicators):
    from filings.models import Indicator

    tax = indicators["tax"]
    overlapping = Indicator(code="tax", name_zh="纳税额", unit="元", definition="新口径", effective_from=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="Another version of this indicator"):
        overlapping.full_clean()
    tax.effective_to = D(2025, 12, 31)
    tax.full_clean()
    tax.save()
    overlapping.full_clean()  # from 2026 in 元, the old version in 万元 until 2025
    overlapping.save()
    assert list(Indicator.objects.effective(on=D(2026, 6, 30)).filter(code="tax").values_list("unit", flat=True)) == [
        "元"
    ]
