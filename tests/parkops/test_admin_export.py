"""Every admin list exports to CSV and XLSX: the rows the list's filters keep (or those selected),
the columns and headers it shows, amounts as numbers, formulas kept as text."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from billing.models import Bill
from tests.factories import TenantCompanyFactory

pytestmark = pytest.mark.django_db


def export(client, url, action, one_pk):
    """What the browser posts after "select all N" across the list's pages: the page's boxes and
    ``select_across``."""
    return client.post(url, {"action": action, "select_across": "1", "index": "0", "_selected_action": [one_pk]})


def test_a_filtered_bill_list_exports_its_rows_and_columns_as_xlsx(client, world, operations_user):
    client.force_login(operations_user)
    url = "/admin/billing/bill/?status__exact=overdue"
    response = export(client, url, "export_xlsx", Bill.objects.filter(status="overdue").first().pk)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("bill", "company", "lease", "billing period") and "outstanding (CNY)" in rows[0]
    overdue = Bill.objects.filter(status="overdue").order_by(F("issued_on").desc(nulls_last=True), "-due_on", "-pk")
    assert [row[0] for row in rows[1:]] == [bill.number for bill in overdue] and overdue.count() >= 2
    first = overdue[0]
    assert rows[1][3] == f"{first.period_start:%Y-%m-%d} – {first.period_end:%m-%d}"
    due = rows[0].index("outstanding (CNY)")
    assert [Decimal(str(row[due])) for row in rows[1:]] == [  # numbers
        bill.amount_due - bill.amount_paid for bill in overdue
    ]
    assert {row[rows[0].index("status")] for row in rows[1:]} == {"overdue"}


def test_the_csv_keeps_formulas_as_text_and_only_the_selected_rows(client, world, operations_user):
    evil = TenantCompanyFactory(name='=HYPERLINK("http://evil.example","点我")', short_name="evil")
    client.force_login(operations_user)
    response = client.post(
        "/admin/tenants/tenantcompany/", {"action": "export_csv", "index": "0", "_selected_action": [evil.pk]}
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and any(cell.startswith("'=HYPERLINK") for cell in rows[1])


def test_an_export_takes_the_same_queries_for_few_rows_and_many(client, world, operations_user):
    client.force_login(operations_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = export(client, "/admin/tenants/tenantcompany/", "export_xlsx", world["a"]["company"].pk)
            assert answer.status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        TenantCompanyFactory()  # each with a cluster of its own
    assert queries() == few
