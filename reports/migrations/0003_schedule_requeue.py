from django.db import migrations

TASK, NAME = "reports.reports_requeue_stale", "Queue again report runs left waiting (every 5 minutes)"


def schedule(apps, schema_editor):
    interval, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=5, period="minutes"
    )
    apps.get_model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": interval}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_schedule_reports")]

    operations = [migrations.RunPython(schedule, unschedule)]
