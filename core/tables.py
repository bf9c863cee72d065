"""Tables that people upload (bank statements, the tax platform's result files): CSV in whatever
encoding a Chinese bank exports (UTF-8 with or without a BOM, GBK / GB18030) or an XLSX workbook,
read as rows of cells, and the cells read as days and amounts the way those files write them."""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.money import FEN

XLSX_MAGIC = b"PK\x03\x04"
# GB18030 is a superset of GBK and GB2312: the encodings Chinese banks' CSV files come in.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it, counting from 1 with the header
    cells: tuple


def row_error(row: int, message: str) -> ValidationError:
    return ValidationError(_("Row %(row)s: %(message)s") % {"row": row, "message": message}, code="bad_row")


def _decoded(content: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GBK text, nor an XLSX workbook."), code="bad_encoding")


def _text(value) -> object:
    return value.strip() if isinstance(value, str) else value


def table_rows(content: bytes, *, sheet: str | None = None) -> list[Row]:
    """Every non-empty row of the file (an XLSX workbook's ``sheet``, else its first; or CSV text)."""
    if content.startswith(XLSX_MAGIC):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of error on a damaged workbook
            raise ValidationError(_("This XLSX workbook does not open; it may be damaged."), code="bad_xlsx") from error
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ValidationError(
                _("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet}, code="missing_sheet"
            )
        values = (workbook[sheet] if sheet else workbook.worksheets[0]).iter_rows(values_only=True)
    else:
        text = _decoded(content)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        values = csv.reader(io.StringIO(text), dialect)
    rows = []
    for number, cells in enumerate(values, start=1):
        cells = tuple(_text(cell) for cell in cells)
        if any(cell not in (None, "") for cell in cells):
            rows.append(Row(number, cells))
        if number > MAX_ROWS:
            raise ValidationError(_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}, code="too_long")
    return rows


_DAY_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日.*$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s.*)?$"),
)


def parse_day(value, *, row: int) -> datetime.date:
    """A day as banks write it: 2026-11-20, 2026/11/20, 20261120, 2026年11月20日, or a date cell."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for pattern in _DAY_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise row_error(row, _("“%(value)s” is not a date (write it as 2026-11-20).") % {"value": text})


_AMOUNT_NOISE = re.compile(r"[,，\s¥￥]|元$|^RMB|^CNY", re.IGNORECASE)


def parse_amount(value, *, row: int, blank_is_zero: bool = False) -> Decimal:
    """An amount in yuan, to the fen: 1,234.56, ¥1234.56, 1234.56元 or a number cell."""
    if value in (None, "") and blank_is_zero:
        return Decimal("0.00")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _AMOUNT_NOISE.sub("", str(value or ""))
        if text in ("", "-") and blank_is_zero:
            return Decimal("0.00")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(FEN):
        raise row_error(row, _("“%(value)s” is not an amount in yuan and fen.") % {"value": value})
    return amount.quantize(FEN)
