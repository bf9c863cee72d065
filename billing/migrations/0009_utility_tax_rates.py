"""VAT on resold utilities since the reform of 2019-04-01: electricity 13 %, water 9 %, chilled water
for air-conditioning 13 % (goods), gas 9 %, with their goods and services tax codes. Staff change
them in Admin → VAT rates."""

import datetime
from decimal import Decimal

from django.db import migrations

REFORM = datetime.date(2019, 4, 1)
DEFAULTS = [
    ("electricity", "0.13", "1100101000000000000", "电力 (electricity resold)"),
    ("water", "0.09", "1100301010000000000", "自来水 (water resold)"),
    ("cooling", "0.13", "1100102000000000000", "冷量 (chilled water for air-conditioning)"),
    ("gas", "0.09", "1100202000000000000", "天然气 (gas resold)"),
]


def rates_add(apps, schema_editor):
    tax_rate = apps.get_model("billing", "TaxRate")
    for kind, rate, code, note in DEFAULTS:
        tax_rate.objects.get_or_create(
            kind=kind,
            effective_from=REFORM,
            defaults={"rate": Decimal(rate), "method": "general", "goods_code": code, "note": note},
        )


def rates_remove(apps, schema_editor):
    apps.get_model("billing", "TaxRate").objects.filter(kind__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_utility_kinds")]

    operations = [migrations.RunPython(rates_add, rates_remove)]
