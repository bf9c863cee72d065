"""Spreadsheet cells that are safe to open: text that a spreadsheet would run as a formula is
neutralised on export and read back as plain text on import (OWASP's advice on CSV injection)."""

from import_export import widgets

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """OWASP's advice for CSV injection: text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class PlainTextWidget(widgets.CharWidget):
    """Reads back what the export neutralised, and never lets a cell be read as anything but text."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row=row, **kwargs)
        if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_TRIGGERS):
            value = value[1:]
        return value.strip() if isinstance(value, str) else value
