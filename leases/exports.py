"""Spreadsheet exports of leasing data (CSV and XLSX through tablib), with formulas neutralised."""

import tablib
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise_formula

from .selectors import RentRoll


def rent_roll_dataset(roll: RentRoll) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            _("floor"),
            _("unit"),
            _("use"),
            _("area (m²)"),
            _("status"),
            _("tenant"),
            _("lease"),
            _("monthly rent (CNY)"),
            _("monthly fee (CNY)"),
            _("lease ends on"),
        ]
    )
    for row in roll.rows:
        lease = row.lease
        dataset.append(
            [
                neutralise_formula(value)
                for value in (
                    row.unit.floor.label,
                    row.unit.code,
                    row.unit.get_use_display(),
                    row.unit.leasable_area,
                    row.status_label,
                    lease.tenant.name if lease else "",
                    lease.number if lease else "",
                    row.monthly_rent,
                    row.monthly_fee,
                    lease.last_day.isoformat() if lease else "",
                )
            ]
        )
    return dataset
