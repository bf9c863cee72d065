from django.db import migrations

# (task, name, crontab fields) in Asia/Shanghai; editable afterwards under Periodic tasks.
JOBS = [
    ("reports.reports_request_monthly_occupancy", "Occupancy report for the past month (1st, 06:00)",
     {"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "*"}),
    ("reports.reports_request_quarterly_clusters", "Industry-cluster report for the past quarter (1 Jan/Apr/Jul/Oct, 06:30)",
     {"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10"}),
]


def schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, name, fields in JOBS:
        crontab, _ = crontab_model.objects.get_or_create(day_of_week="*", timezone="Asia/Shanghai", **fields)
        periodic_task_model.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[j[0] for j in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
