from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="tenants.milestones_flag_overdue")
def milestones_flag_overdue() -> int:
    return len(services.milestones_flag_overdue(on=timezone.localdate()))
