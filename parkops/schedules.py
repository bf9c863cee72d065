"""Every periodic job of ParkOps, declared in one place.

``manage.py schedules_sync`` writes them into django-celery-beat's tables, where the beat process
reads them and staff can see them (Admin → Periodic tasks). ``make demo``, ``.ci/run`` and a
deployment run it; running it again changes nothing. Times are Asia/Shanghai. A job staff have
paused stays paused; its task and timing follow what is declared here.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    crontab: dict[str, str] = field(default_factory=dict)  # minute, hour, day_of_month, month_of_year
    every_minutes: int | None = None


JOBS = [
    Job("Roll lease statuses (daily 00:10)", "leases.leases_roll_status", {"minute": "10", "hour": "0"}),
    Job(
        "Schedule the month's apartment rent not billed yet (daily 05:30)",
        "apartments.apartment_rent_schedule",
        {"minute": "30", "hour": "5"},
    ),
    Job("Issue bills falling due (daily 06:00)", "billing.bills_issue_due", {"minute": "0", "hour": "6"}),
    Job(
        "Credit granted rent reductions on new bills (daily 06:10)",
        "incentives.grants_apply_due",
        {"minute": "10", "hour": "6"},
    ),
    Job("Charge late fees through yesterday (daily 06:15)", "billing.late_fees_accrue", {"minute": "15", "hour": "6"}),
    Job(
        "Request fapiao by the operator's policy (daily 06:30)",
        "billing.fapiaos_request_by_policy",
        {"minute": "30", "hour": "6"},
    ),
    Job("Send payment reminders due today (daily 09:00)", "billing.reminders_send", {"minute": "0", "hour": "9"}),
    Job(
        "Flag overdue partner milestones (daily 07:00)", "tenants.milestones_flag_overdue", {"minute": "0", "hour": "7"}
    ),
    Job("Statistics filing reminders (daily 09:30)", "filings.filings_remind", {"minute": "30", "hour": "9"}),
    Job("Lease expiry and overdue-bill alerts (daily 07:30)", "leases.alerts_send", {"minute": "30", "hour": "7"}),
    Job("Mark finished hall bookings completed (hourly)", "events.bookings_complete", {"minute": "5", "hour": "*"}),
    Job(
        "Occupancy report for the past month (1st, 06:00)",
        "reports.reports_request_monthly_occupancy",
        {"minute": "0", "hour": "6", "day_of_month": "1"},
    ),
    Job(
        "Board pack (monthly business report) for the past month (1st, 07:00)",
        "reports.reports_request_monthly_board",
        {"minute": "0", "hour": "7", "day_of_month": "1"},
    ),
    Job(
        "Industry-cluster report for the past quarter (1 Jan/Apr/Jul/Oct, 06:30)",
        "reports.reports_request_quarterly_clusters",
        {"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10"},
    ),
    Job(
        "Freeze the dashboard's monthly figures (daily 01:30)", "reports.figures_freeze", {"minute": "30", "hour": "1"}
    ),
    Job("Queue again report runs left waiting (every 5 minutes)", "reports.reports_requeue_stale", every_minutes=5),
    Job(
        "Send notifications due again: retries, rate limits, broker gaps (every minute)",
        "notifications.deliveries_send_due",
        every_minutes=1,
    ),
    Job(
        "Prune the notification log past PARKOPS_NOTIFY_LOG_DAYS (daily 03:30)",
        "notifications.deliveries_prune",
        {"minute": "30", "hour": "3"},
    ),
]


def _timing(job: Job) -> dict:
    if job.every_minutes:
        interval, _ = IntervalSchedule.objects.get_or_create(every=job.every_minutes, period=IntervalSchedule.MINUTES)
        return {"interval": interval, "crontab": None}
    fields = {"minute": "0", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **job.crontab}
    crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TIME_ZONE, **fields)
    return {"crontab": crontab, "interval": None}


@transaction.atomic
def schedules_sync(jobs: list[Job] = JOBS) -> dict[str, int]:
    """Create or correct the periodic task of every job; remove ParkOps jobs no longer declared.

    Counts what it did: created, updated, removed."""
    counts = {"created": 0, "updated": 0, "removed": 0}
    declared = {job.name for job in jobs}
    for job in jobs:
        wanted = {"task": job.task, **_timing(job)}
        task = PeriodicTask.objects.filter(name=job.name).first()
        if task is None:
            PeriodicTask.objects.create(name=job.name, **wanted)
            counts["created"] += 1
        elif any(getattr(task, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(task, key, value)
            task.save()
            counts["updated"] += 1
    ours = Q()
    for app_label in {job.task.split(".")[0] for job in jobs}:
        ours |= Q(task__startswith=f"{app_label}.")
    counts["removed"], _ = PeriodicTask.objects.filter(ours).exclude(name__in=declared).delete()
    return counts
