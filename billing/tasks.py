"""Daily jobs; each calls one service with today's date in Asia/Shanghai."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="billing.bills_issue_due", soft_time_limit=1740, time_limit=1800)
def bills_issue_due() -> int:
    return services.bills_issue_due(on=timezone.localdate())


@shared_task(name="billing.late_fees_accrue", soft_time_limit=1740, time_limit=1800)
def late_fees_accrue() -> int:
    """Charge late fees through yesterday, the last day that is over."""
    return len(services.late_fees_accrue(on=timezone.localdate() - datetime.timedelta(days=1)))


@shared_task(name="billing.fapiaos_request_by_policy", soft_time_limit=1740, time_limit=1800)
def fapiaos_request_by_policy() -> int:
    return len(services.fapiaos_request_by_policy(on=timezone.localdate()))


@shared_task(name="billing.reminders_send", soft_time_limit=1740, time_limit=1800)
def reminders_send() -> int:
    return len(services.reminders_send(on=timezone.localdate()))
