from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="incentives.grants_apply_due")
def grants_apply_due() -> int:
    return services.grants_apply_due(on=timezone.localdate())
