"""How a snapshot's typed values print in the PDF and land in the XLSX: a real 0 prints as 0, only a
missing value as "—"; amounts with thousands separators."""

import datetime
from decimal import Decimal

MISSING = "—"

# XLSX number formats by column type; text and dates are written as they are.
NUMBER_FORMATS = {
    "integer": "#,##0",
    "area": "#,##0.00",
    "money": "#,##0.00",
    "money0": "#,##0",
    "percent": '0.0" %"',
    "number": "0.0#",
}


def cell_text(value, kind: str) -> str:
    if value is None or value == "":
        return MISSING
    if kind in ("area", "money"):
        return f"{Decimal(value):,.2f}"
    if kind == "money0":
        return f"{Decimal(value):,.0f}"
    if kind == "integer":
        return f"{int(value):,}"
    if kind == "percent":
        return f"{value} %"
    return str(value)


def cell_value(value, kind: str):
    """The value as a spreadsheet cell: a number for figures, a date for dates, else text."""
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind in NUMBER_FORMATS:
        return Decimal(value)
    if kind == "date":
        return datetime.date.fromisoformat(value)
    return str(value)
