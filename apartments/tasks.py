"""Daily jobs; each calls one service with today's date in Asia/Shanghai."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="apartments.apartment_rent_schedule")
def apartment_rent_schedule() -> int:
    return len(services.apartment_rent_schedule(on=timezone.localdate()))
