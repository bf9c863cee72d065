"""Thin Celery tasks over the notification services."""

from celery import shared_task

from . import services


@shared_task(name="notifications.delivery_send", soft_time_limit=50, time_limit=60)
def delivery_send(delivery_id: int) -> str | None:
    delivery = services.delivery_send(delivery_id=delivery_id)
    return delivery.status if delivery else None


@shared_task(name="notifications.deliveries_send_due", soft_time_limit=50, time_limit=60)
def deliveries_send_due() -> int:
    return services.deliveries_send_due()


@shared_task(name="notifications.deliveries_prune", soft_time_limit=540, time_limit=600)
def deliveries_prune() -> int:
    return services.deliveries_prune()
