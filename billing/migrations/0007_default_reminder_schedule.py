"""The operator's reminder schedule (催缴) as it starts: three days before the due date, on it, and
7 and 30 days after; staff change it, or give a company its own, in Admin → Reminder schedule."""

from django.db import migrations

STEPS = [
    (-3, "付款提醒", "您好！以下账单即将到期，请按时付款。"),
    (0, "账单今日到期", "您好！以下账单今日到期，请于今日完成付款。"),
    (7, "逾期催缴通知", "您好！以下账单已逾期，请尽快付款；逾期将按合同计收滞纳金。"),
    (30, "逾期催缴函", "贵司以下账单已逾期超过30日。请于收到本函后7日内付清欠款，否则我方将依合同追究违约责任。"),
]


def steps_add(apps, schema_editor):
    step = apps.get_model("billing", "ReminderStep")
    for days, title, message in STEPS:
        step.objects.get_or_create(company=None, days_from_due=days, defaults={"title": title, "message": message})


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_collections")]

    operations = [migrations.RunPython(steps_add, migrations.RunPython.noop)]
