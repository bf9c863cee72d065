from django.db import migrations

# (task, name, hour, minute) in Asia/Shanghai; editable afterwards under Periodic tasks.
JOBS = [
    ("leases.leases_roll_status", "Roll lease statuses (daily 00:10)", "0", "10"),
    ("leases.bills_issue_due", "Issue bills falling due (daily 06:00)", "6", "0"),
    ("leases.alerts_send", "Lease expiry and overdue-bill alerts (daily 07:30)", "7", "30"),
]


def schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, name, hour, minute in JOBS:
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        periodic_task_model.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[j[0] for j in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leases", "0003_lease_terms_bills_payments"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
