"""Daily jobs; each calls one service with today's date in Asia/Shanghai."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="billing.bills_issue_due")
def bills_issue_due() -> int:
    return services.bills_issue_due(on=timezone.localdate())
