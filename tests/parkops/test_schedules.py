"""Periodic jobs are declared once (parkops/schedules.py) and written into django-celery-beat by
``schedules_sync``, which is safe to run again."""

import pytest
from celery import current_app
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from parkops.schedules import JOBS, schedules_sync

pytestmark = pytest.mark.django_db


def test_every_declared_job_names_a_registered_task():
    registered = set(current_app.tasks)
    assert {job.task for job in JOBS} <= registered
    assert len({job.name for job in JOBS}) == len(JOBS)


def test_sync_writes_every_job_with_its_timing_in_guangzhou_time():
    assert schedules_sync() == {"created": len(JOBS), "updated": 0, "removed": 0}
    rows = {
        (t, h, d, m, str(z))
        for t, h, d, m, z in PeriodicTask.objects.filter(crontab__isnull=False).values_list(
            "task", "crontab__hour", "crontab__day_of_month", "crontab__month_of_year", "crontab__timezone"
        )
    }
    assert ("reports.reports_request_monthly_occupancy", "6", "1", "*", "Asia/Shanghai") in rows
    assert ("reports.reports_request_quarterly_clusters", "6", "1", "1,4,7,10", "Asia/Shanghai") in rows
    assert ("billing.bills_issue_due", "6", "*", "*", "Asia/Shanghai") in rows
    sweep = PeriodicTask.objects.get(task="reports.reports_requeue_stale")
    assert (sweep.interval.every, sweep.interval.period, sweep.crontab) == (5, IntervalSchedule.MINUTES, None)


def test_a_second_sync_changes_nothing_keeps_a_pause_and_corrects_what_drifted(capsys):
    schedules_sync()
    issuing = PeriodicTask.objects.get(task="billing.bills_issue_due")
    issuing.enabled = False
    issuing.crontab = CrontabSchedule.objects.create(minute="7", hour="11", timezone="Asia/Shanghai")
    issuing.save()
    PeriodicTask.objects.create(
        name="A job nobody declares any more", task="leases.retired_job", interval=IntervalSchedule.objects.get(every=5)
    )
    PeriodicTask.objects.create(
        name="Celery's own", task="celery.backend_cleanup", interval=IntervalSchedule.objects.get(every=5)
    )

    assert schedules_sync() == {"created": 0, "updated": 1, "removed": 1}
    issuing.refresh_from_db()
    assert (issuing.crontab.hour, issuing.crontab.minute, issuing.enabled) == ("6", "0", False)
    assert PeriodicTask.objects.filter(task="celery.backend_cleanup").exists()
    call_command("schedules_sync")
    assert "0 created, 0 updated, 0 removed" in capsys.readouterr().out
