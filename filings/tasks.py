from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="filings.filings_remind")
def filings_remind() -> int:
    return services.filings_remind(on=timezone.localdate())
