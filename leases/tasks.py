"""Daily jobs; each calls one service with today's date in Asia/Shanghai."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="leases.leases_roll_status")
def leases_roll_status() -> int:
    return services.leases_roll_status(on=timezone.localdate())


@shared_task(name="leases.alerts_send")
def alerts_send() -> dict[str, int]:
    found = services.alerts_send(on=timezone.localdate())
    return {"expiring": len(found["expiring"]), "overdue": len(found["overdue"])}
