"""The files the national tax platform (电子税务局) exchanges for batch issue (批量开具) of digital
fapiao: the workbook we upload (a sheet of fapiao, a sheet of their lines) and the result file it
answers with (one row per fapiao: issued with its number and date, or refused with the reason)."""

import datetime
import io
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise_formula
from core.tables import parse_day, row_error, table_rows

HEADER_SHEET = "1-发票基本信息"
LINES_SHEET = "2-发票明细信息"
HEADER_COLUMNS = (
    "发票流水号",
    "发票类型",
    "是否含税",
    "购买方名称",
    "购买方纳税人识别号",
    "购买方地址电话",
    "购买方开户银行及账号",
    "购买方邮箱",
    "备注",
)
LINE_COLUMNS = ("发票流水号", "项目名称", "商品和服务税收编码", "数量", "单价", "金额", "税率", "税额")
FAPIAO_TYPES = {"special": "数电发票（增值税专用发票）", "ordinary": "数电发票（普通发票）"}

RESULT_COLUMNS = ("发票流水号", "开具状态", "发票号码", "开票日期", "失败原因")
ISSUED, REFUSED = "开具成功", "开具失败"


def _sheet(workbook, title: str, columns: tuple[str, ...], rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralise_formula(value) for value in row])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, len(column) * 2 + 2)


def batch_workbook(fapiaos) -> bytes:
    """The upload for the platform's batch issue: amounts net of VAT (是否含税 否) with the VAT of
    each line beside it, so the platform prints the split our bills show, to the fen."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        HEADER_SHEET,
        HEADER_COLUMNS,
        (
            (
                fapiao.request_number,
                FAPIAO_TYPES[fapiao.fapiao_type],
                "否",
                fapiao.buyer_title,
                fapiao.buyer_taxpayer_number,
                fapiao.buyer_address_phone,
                fapiao.buyer_bank_account,
                fapiao.buyer_email,
                _("Bill %(number)s, %(start)s to %(end)s")
                % {
                    "number": fapiao.bill.number,
                    "start": fapiao.bill.period_start.isoformat(),
                    "end": fapiao.bill.period_end.isoformat(),
                },
            )
            for fapiao in fapiaos
        ),
    )
    _sheet(
        workbook,
        LINES_SHEET,
        LINE_COLUMNS,
        (
            (
                fapiao.request_number,
                line.item_name,
                line.goods_code,
                1,
                f"{line.net_amount:.2f}",
                f"{line.net_amount:.2f}",
                f"{line.tax_rate:.2f}",
                f"{line.tax_amount:.2f}",
            )
            for fapiao in fapiaos
            for line in fapiao.lines.all()
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Result:
    row: int
    request_number: str
    issued: bool
    number: str = ""
    issued_on: datetime.date | None = None
    reason: str = ""


def _column_positions(header, columns: tuple[str, ...], row: int) -> dict[str, int]:
    names = [str(cell or "").strip().lstrip("*") for cell in header]
    missing = [column for column in columns if column not in names]
    if missing:
        raise row_error(
            row,
            _("the columns %(missing)s are missing; a result file has %(columns)s.")
            % {"missing": "、".join(missing), "columns": "、".join(columns)},
        )
    return {column: names.index(column) for column in columns}


def result_rows(content: bytes) -> list[Result]:
    """The platform's result file, read whole: a row that cannot be read names its row number."""
    rows = table_rows(content)
    if not rows:
        raise ValidationError(_("The result file is empty."), code="empty")
    header, *body = rows
    at = _column_positions(header.cells, RESULT_COLUMNS, header.number)
    results = []
    for row in body:
        cells = list(row.cells) + [None] * (len(header.cells) - len(row.cells))
        value = {column: cells[position] for column, position in at.items()}
        request_number = str(value["发票流水号"] or "").strip()
        outcome = str(value["开具状态"] or "").strip()
        if not request_number:
            raise row_error(row.number, _("the request number (发票流水号) is empty."))
        if outcome == ISSUED:
            number = str(value["发票号码"] or "").strip()
            if not (number.isdigit() and len(number) == 20):
                raise row_error(row.number, _("“%(number)s” is not a 20-digit fapiao number.") % {"number": number})
            results.append(
                Result(row.number, request_number, True, number, parse_day(value["开票日期"], row=row.number))
            )
        elif outcome == REFUSED:
            results.append(Result(row.number, request_number, False, reason=str(value["失败原因"] or "").strip()))
        else:
            raise row_error(
                row.number,
                _("the status is “%(status)s”; a result is %(issued)s or %(refused)s.")
                % {"status": outcome, "issued": ISSUED, "refused": REFUSED},
            )
    return results
