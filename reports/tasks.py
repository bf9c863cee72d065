from celery import shared_task
from django.utils import timezone

from . import dashboard, services


@shared_task(
    bind=True,
    name="reports.report_render",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=3,
    default_retry_delay=20,
    time_limit=services.RENDER_TIME_LIMIT,
    soft_time_limit=services.RENDER_TIME_LIMIT - 60,
)
def report_render(self, run_id: int) -> str:
    """Late acknowledgement: a worker killed mid-render leaves the message queued, and the next
    worker renders the run again (rendering is idempotent: a run already done is left alone).
    The run row is the result: storing none also keeps ``delay()`` from waiting on the result
    backend's connection while Redis is down."""
    try:
        return services.report_render(run_id=run_id).status
    except services.TransientReportError as error:
        raise self.retry(exc=error) from error


@shared_task(name="reports.reports_request_monthly_occupancy")
def reports_request_monthly_occupancy() -> int:
    return services.reports_request_monthly_occupancy(on=timezone.localdate()).pk


@shared_task(name="reports.reports_request_quarterly_clusters")
def reports_request_quarterly_clusters() -> int:
    return services.reports_request_quarterly_clusters(on=timezone.localdate()).pk


@shared_task(name="reports.reports_request_monthly_board")
def reports_request_monthly_board() -> int:
    return services.reports_request_monthly_board(on=timezone.localdate()).pk


@shared_task(name="reports.reports_requeue_stale")
def reports_requeue_stale() -> int:
    return services.reports_requeue_stale()


@shared_task(name="reports.figures_freeze", soft_time_limit=3540, time_limit=3600)
def figures_freeze() -> int:
    return dashboard.figures_freeze(on=timezone.localdate())


@shared_task(name="reports.figures_refresh_current", soft_time_limit=600, time_limit=660)
def figures_refresh_current() -> int:
    return dashboard.current_month_refresh(on=timezone.localdate())
