from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="events.bookings_complete")
def bookings_complete() -> int:
    return services.bookings_complete(now=timezone.now())
