"""Workbooks in the layout of the park statistics tables: one row per company (credit code, name,
cluster, each indicator), a subtotal per cluster and a grand total; and one company's history."""

import io
import itertools
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core.spreadsheets import neutralise_formula
from tenants.models import TenantCompany

from .models import Filing, FilingValue, PeriodIndicator, ReportingPeriod
from .selectors import COUNTED, company_history

BOLD = Font(bold=True)


def _number_format(places: int) -> str:
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def _save(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def period_workbook(*, period: ReportingPeriod) -> bytes:
    """Filed figures (submitted or accepted; the status column says which) of every company given a
    filing for the period, grouped by industry cluster with a subtotal each, then the total."""
    asked = [item.indicator for item in PeriodIndicator.objects.filter(period=period).select_related("indicator")]
    filings = list(
        Filing.objects.filter(period=period)
        .select_related("company__primary_cluster")
        .order_by("company__primary_cluster__order", "company__primary_cluster__code", "company__name")
    )
    values: dict[tuple[int, int], Decimal | None] = {
        (filing_id, indicator_id): value
        for filing_id, indicator_id, value in FilingValue.objects.filter(
            filing__in=[f for f in filings if f.status in COUNTED]
        ).values_list("filing", "indicator", "value")
    }
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = period.label
    header = [_("unified social credit code"), _("company"), _("industry cluster"), _("status")]
    header += [f"{indicator.name_zh}（{indicator.unit}）" for indicator in asked]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD

    def write_total(label: str, sums: list[Decimal]) -> None:
        sheet.append(["", neutralise_formula(label), "", "", *sums])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for column, indicator in enumerate(asked, start=5):
            sheet.cell(row=sheet.max_row, column=column).number_format = _number_format(indicator.decimal_places)

    grand = [Decimal("0")] * len(asked)
    for _cluster, group in itertools.groupby(filings, key=lambda filing: filing.company.primary_cluster_id):
        group = list(group)
        cluster = group[0].company.primary_cluster
        cluster_name = cluster.name if cluster else "—"
        subtotal = [Decimal("0")] * len(asked)
        for filing in group:
            row = [filing.company.credit_code, filing.company.name, cluster_name, filing.get_status_display()]
            figures = [values.get((filing.pk, indicator.pk)) for indicator in asked]
            sheet.append([neutralise_formula(cell) for cell in row] + figures)
            for column, indicator in enumerate(asked, start=5):
                sheet.cell(row=sheet.max_row, column=column).number_format = _number_format(indicator.decimal_places)
            for index, figure in enumerate(figures):
                if figure is not None:
                    subtotal[index] += figure
                    grand[index] += figure
        write_total(_("Subtotal: %(cluster)s") % {"cluster": cluster_name}, subtotal)
    write_total(_("Total"), grand)
    sheet.freeze_panes = "C2"
    for column, width in zip("ABCD", (22, 36, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for index in range(5, 5 + len(asked)):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 16
    return _save(workbook)


def company_workbook(*, company: TenantCompany) -> bytes:
    """One company's filed periods, newest first, a column per indicator code ever filed."""
    history = company_history(company=company)
    codes = sorted({code for _period, _status, values in history for code in values})
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("History")
    sheet.append([neutralise_formula(company.name), company.credit_code])
    sheet.append([_("period"), _("status"), *codes])
    for cell in sheet[2]:
        cell.font = BOLD
    labels = dict(Filing.Status.choices)
    for period, status, values in history:
        sheet.append([period.label, str(labels[status]), *(values.get(code) for code in codes)])
    return _save(workbook)
