"""From a run to its files: the snapshot of its figures, then the PDF and the XLSX drawn from it."""

import io
import re
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core.db_routers import reads_from_replica
from core.pdf import render_pdf
from core.spreadsheets import neutralise_formula

from .cells import NUMBER_FORMATS, cell_value
from .charts import chart_svg
from .models import ReportRun
from .snapshots import snapshot_build, snapshot_hash

FIGURES_PER_ROW = 4
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class RenderedRun:
    snapshot: dict
    pdf: bytes
    xlsx: bytes


def render_run(run: ReportRun) -> RenderedRun:
    """A new run's figures are computed (read from the replica when there is one); a regenerated
    run is drawn from the snapshot it carries."""
    if run.regenerated_from_id:
        snapshot = run.snapshot
    else:
        with translation.override(run.language), reads_from_replica():
            snapshot = snapshot_build(run)
    with translation.override(run.language):
        return RenderedRun(snapshot, render_snapshot_pdf(run, snapshot), render_snapshot_xlsx(snapshot))


def render_snapshot_pdf(run: ReportRun, snapshot: dict) -> bytes:
    figures = snapshot["figures"]
    sections = [
        {**section, "svg": chart_svg(section["chart"]) if section["chart"] else ""} for section in snapshot["sections"]
    ]
    context = {
        "run": run,
        "snapshot": snapshot,
        "figure_rows": [figures[i : i + FIGURES_PER_ROW] for i in range(0, len(figures), FIGURES_PER_ROW)],
        "sections": sections,
        "operator": settings.PARKOPS_OPERATOR_NAME,
        "original": run.regenerated_from,
    }
    return render_pdf("reports/report_pdf.html", context, language=run.language)


def _sheet_name(title: str, taken: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]} {n}", n + 1
    taken.add(name.lower())
    return name


def _write_rows(sheet, columns: list[list[str]], rows: list[list], start_row: int) -> None:
    for row_index, row in enumerate(rows, start=start_row):
        for column_index, ((_label, kind), value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(row=row_index, column=column_index, value=neutralise_formula(cell_value(value, kind)))
            if kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            elif kind == "date":
                cell.number_format = "yyyy-mm-dd"


def render_snapshot_xlsx(snapshot: dict) -> bytes:
    """The report's summary and each of its tables, one sheet each, as numbers and dates (not text),
    with the snapshot's hash and code version on the first sheet."""
    workbook = openpyxl.Workbook()
    summary = workbook.active
    taken: set[str] = set()
    summary.title = _sheet_name(_("Summary"), taken)
    for label, value in (
        (snapshot["title"], snapshot["scope"]),
        (_("Period"), f"{snapshot['period']['label']} ({snapshot['period']['start']} – {snapshot['period']['end']})"),
        (_("Code version"), snapshot["code_version"]),
        (_("Snapshot SHA-256"), snapshot_hash(snapshot)),
    ):
        summary.append([neutralise_formula(label), neutralise_formula(value)])
    summary["A1"].font = Font(bold=True)
    summary.append([])
    header_row = summary.max_row + 1
    summary.append([_("figure"), _("value"), _("unit")])
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
    for figure in snapshot["figures"]:
        row = summary.max_row + 1
        _write_rows(
            summary,
            [["", "text"], ["", figure["type"]], ["", "text"]],
            [[figure["label"], figure["value"], figure["unit"]]],
            row,
        )
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 34, 18
    for section in snapshot["sections"]:
        table = section["table"]
        if table is None:
            continue
        sheet = workbook.create_sheet(_sheet_name(section["title"], taken))
        columns = table["columns"]
        sheet.append([neutralise_formula(label + (" (%)" if kind == "percent" else "")) for label, kind in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = table["rows"] + ([table["total"]] if table["total"] else [])
        _write_rows(sheet, columns, rows, 2)
        if table["total"]:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, (label, _kind) in enumerate(columns, start=1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, len(label) * 2 + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
