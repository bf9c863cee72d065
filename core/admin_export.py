"""Every admin list exports to CSV or XLSX: two actions the admin site offers on each list. The rows
are the ones selected — or, with "select all", every row the list's filters and search keep — and
the columns are those the list shows, under the headers it shows, in the user's language. Text that
a spreadsheet would run as a formula is kept as text (OWASP's advice on CSV injection)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from .spreadsheets import neutralise_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(model_admin, request) -> list[tuple]:
    """The list's columns, each as (what names its header, what gives its value); a money column
    formatted for the page (``MoneyColumnsMixin``) is exported as the model's field or property, a
    number."""
    money = set(getattr(model_admin, "money_columns", ()))
    columns = []
    for name in model_admin.get_list_display(request):
        if name == "action_checkbox":
            continue
        is_money = callable(name) and getattr(name, "__name__", None) in money
        columns.append((name, name.__name__) if is_money else (name, name))
    return columns


def _value(name: str, obj, model_admin):
    """The cell as the list shows it: a choice's label, a related object's name, a yes or no, a
    number as a number and a date as a date, HTML reduced to its text."""
    field, _attr, value = lookup_field(name, obj, model_admin)
    if value is None:
        return None
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, Decimal, datetime.date)):
        return value
    return neutralise_formula(strip_tags(str(value)).strip())


def _rows(model_admin, request, queryset):
    columns = _columns(model_admin, request)
    headers = [strip_tags(str(label_for_field(column[0], model_admin.model, model_admin))) for column in columns]
    related = model_admin.get_list_select_related(request)
    if related is True:
        queryset = queryset.select_related()
    elif related:
        queryset = queryset.select_related(*related)
    yield [neutralise_formula(header) for header in headers]
    for obj in queryset.iterator(chunk_size=2000):
        yield [_value(name, obj, model_admin) for _header, name in columns]


def _filename(model_admin, extension: str) -> str:
    return f"{model_admin.model._meta.model_name}-{timezone.localdate():%Y%m%d}.{extension}"


@admin.action(description=_("Export the selected rows as CSV"))
def export_csv(model_admin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(model_admin, "csv")}"'
    response.write("\ufeff")  # a byte-order mark: Excel then reads the Chinese as UTF-8
    writer = csv.writer(response)
    for row in _rows(model_admin, request, queryset):
        writer.writerow(["" if cell is None else cell for cell in row])
    return response


@admin.action(description=_("Export the selected rows as XLSX"))
def export_xlsx(model_admin, request, queryset):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(str(model_admin.model._meta.verbose_name_plural)[:31])
    for index, row in enumerate(_rows(model_admin, request, queryset)):
        if index == 0:
            header = []
            for text in row:
                cell = openpyxl.cell.WriteOnlyCell(sheet, value=text)
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(model_admin, "xlsx")}"'
    return response
