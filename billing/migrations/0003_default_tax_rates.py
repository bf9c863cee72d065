"""The VAT rates in force since the reform of 2019-04-01, as the operator starts with them; staff
change them (a new row from the day a decree takes effect) in Admin → VAT rates."""

import datetime
from decimal import Decimal

from django.db import migrations

REFORM = datetime.date(2019, 4, 1)
DEFAULTS = [
    ("rent", "0.09", "general", "不动产租赁服务 (leasing of immovable property)"),
    ("fee", "0.06", "general", "物业管理服务 (property-management service)"),
    ("apartment", "0.09", "general", "不动产租赁服务 (talent apartments)"),
    ("other", "0.06", "general", "现代服务 (other services)"),
]


def rates_add(apps, schema_editor):
    tax_rate = apps.get_model("billing", "TaxRate")
    for kind, rate, method, note in DEFAULTS:
        tax_rate.objects.get_or_create(
            kind=kind, effective_from=REFORM, defaults={"rate": Decimal(rate), "method": method, "note": note}
        )


def rates_remove(apps, schema_editor):
    apps.get_model("billing", "TaxRate").objects.filter(effective_from=REFORM).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_ledger_guards")]

    operations = [migrations.RunPython(rates_add, rates_remove)]
